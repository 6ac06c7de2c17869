import { LEVEL_PERMISSIONS, PLATFORM_ADMIN_PERMISSIONS, type Permission } from './permissions';
import type { Principal } from './principal';

/** What a route demands: a named permission, or `public` for the unauthenticated health probes. */
export type RouteAccess = Permission | 'public';

/** The effective permissions of a principal (overrides arrive with the authorization issue). */
export function effectivePermissions(principal: Principal): ReadonlySet<Permission> {
  return principal.platformAdmin ? PLATFORM_ADMIN_PERMISSIONS : LEVEL_PERMISSIONS[principal.level];
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return effectivePermissions(principal).has(permission);
}
