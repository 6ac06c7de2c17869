import { LEVEL_PERMISSIONS, PLATFORM_ADMIN_PERMISSIONS, type Permission } from './permissions';
import type { Principal } from './principal';

/** What a route demands: a named permission, or `public` for the unauthenticated health probes. */
export type RouteAccess = Permission | 'public';

/** The effective permissions of a principal (overrides arrive with the authorization issue). */
export function effectivePermissions(principal: Principal): ReadonlySet<Permission> {
  const held = principal.platformAdmin ? PLATFORM_ADMIN_PERMISSIONS : LEVEL_PERMISSIONS[principal.level];
  return withinScopes(held, principal.scopes);
}

/** An API key's caller holds the owner's permissions ∩ the key's scopes (DESIGN §4.1); no scopes = no narrowing. */
function withinScopes(held: ReadonlySet<Permission>, scopes: readonly Permission[] | undefined): ReadonlySet<Permission> {
  if (!scopes) return held;
  return new Set(scopes.filter((scope) => held.has(scope)));
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return effectivePermissions(principal).has(permission);
}
