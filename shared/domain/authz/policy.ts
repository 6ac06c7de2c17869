import { resolveAccess } from './levels';
import { LEVELS, type Permission } from './permissions';
import type { Principal } from './principal';

/**
 * The one policy module (docs/permissions.md): what a principal holds, and how far each permission reaches. Route
 * declarations name a permission; the middleware bundle asks `hasPermission`; services ask `reaches` for
 * the object at hand. Nothing else decides.
 */

/** What a route demands: a named permission, or `public` for the unauthenticated health probes. */
export type RouteAccess = Permission | 'public';

const memo = new WeakMap<Principal, ReadonlySet<Permission>>();

/**
 * The effective permissions of a principal. The access gate of every route function resolves them from the
 * user record (level or custom level, platform-admin flag, overrides) into `principal.permissions`; a
 * principal without them (tests, code paths before the gate) is derived from its built-in level, and an
 * unknown level then holds nothing. API keys narrow the result to their scopes.
 */
export function effectivePermissions(principal: Principal): ReadonlySet<Permission> {
  const known = memo.get(principal);
  if (known) return known;
  const held: ReadonlySet<Permission> = principal.permissions
    ? new Set(principal.permissions)
    : new Set(
        resolveAccess({ orgId: principal.orgId, level: principal.level, platformAdmin: principal.platformAdmin, overrides: [] }, undefined)
          .permissions,
      );
  const result = withinScopes(held, principal.scopes);
  memo.set(principal, result);
  return result;
}

/** An API key's caller holds the owner's permissions ∩ the key's scopes (docs/architecture.md#identity); no scopes = no narrowing. */
function withinScopes(held: ReadonlySet<Permission>, scopes: readonly Permission[] | undefined): ReadonlySet<Permission> {
  if (!scopes) return held;
  return new Set(scopes.filter((scope) => held.has(scope)));
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return effectivePermissions(principal).has(permission);
}

/** The priority of the principal's level (scheduling class and rank); custom levels carry their own. */
export function levelPriority(principal: Principal): number {
  if (principal.levelPriority !== undefined) return principal.levelPriority;
  return Object.hasOwn(LEVELS, principal.level) ? LEVELS[principal.level as keyof typeof LEVELS] : 0;
}

/** At this priority (the admin level's) a ranked permission reaches the whole org instead of the caller's teams. */
export const ORG_REACH_PRIORITY = LEVELS.admin;

/**
 * Permissions whose reach depends on rank (docs/permissions.md "Scope"): `*.all` and approval rights, plus the
 * team and audit views that follow them, reach a lead's teams and an admin's org.
 */
const RANKED: ReadonlySet<Permission> = new Set<Permission>([
  'job.view.all',
  'job.cancel.all',
  'config.edit.all',
  'admin.approve',
  'queue.approve',
  'admin.audit',
  'team.view',
  'team.manage',
  'team.manage.members',
]);

/**
 * How far a held permission reaches: `platform` (every org: platform admins only), `org` (the caller's
 * org), `teams` (objects of the caller's teams), `own` (the caller's own objects), or `none` (not held).
 */
export type Reach = 'platform' | 'org' | 'teams' | 'own' | 'none';

export function reachOf(principal: Principal, permission: Permission): Reach {
  if (!hasPermission(principal, permission)) return 'none';
  if (principal.platformAdmin) return 'platform';
  if (permission.endsWith('.own')) return 'own';
  if (RANKED.has(permission)) return levelPriority(principal) >= ORG_REACH_PRIORITY ? 'org' : 'teams';
  return 'org';
}

/** An object as far as reach is concerned. The org comes from the stored object, never from the request. */
export interface ReachTarget {
  orgId: string;
  /** Teams the object belongs to (a job's team, a team itself, a member's teams). */
  teamIds?: readonly (string | undefined)[];
  ownerId?: string;
}

/** Whether `permission`, as the principal holds it, reaches `target`. */
export function reaches(principal: Principal, permission: Permission, target: ReachTarget): boolean {
  const reach = reachOf(principal, permission);
  if (reach === 'none') return false;
  if (reach === 'platform') return true;
  if (target.orgId !== principal.orgId) return false;
  if (reach === 'org') return true;
  if (reach === 'own') return target.ownerId !== undefined && target.ownerId === principal.userId;
  return (target.teamIds ?? []).some((teamId) => teamId !== undefined && principal.teamIds.includes(teamId));
}

/** Whether the principal may act on org `orgId` at all with `permission` (its own org, or any for platform admins). */
export function reachesOrg(principal: Principal, permission: Permission, orgId: string): boolean {
  const reach = reachOf(principal, permission);
  return reach === 'platform' || (reach !== 'none' && orgId === principal.orgId);
}
