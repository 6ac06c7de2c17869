import type { LevelCatalog } from '#domain/authz/authz.port';
import { effectivePermissions, levelPriority, reaches, reachesOrg } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { User } from './user.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { levelOfOrg } from '#domain/tenancy/org-references';
import type { UserDirectory } from './users.port';

/**
 * Guards shared by every user-administration use case. They encode three rules of docs/permissions.md and the issue:
 * the org comes from the stored user (never the request), nobody grants what they do not hold, and nobody
 * changes their own level, status or overrides (no self-escalation, no self-lockout).
 */

/** The org must be within `admin.users` reach; any other org is "not found" (no existence oracle). */
export function assertOrgReach(principal: Principal, orgId: string): void {
  if (!reachesOrg(principal, 'admin.users', orgId)) throw notFound('Org');
}

/** The user, if `admin.users` as the caller holds it reaches the user's org; otherwise "not found". */
export async function visibleUser(principal: Principal, id: string, users: UserDirectory): Promise<User> {
  const user = await users.currentUser(id);
  if (!user || !reaches(principal, 'admin.users', { orgId: user.orgId })) throw notFound('User');
  return user;
}

export function assertNotSelf(principal: Principal, user: User, what: string): void {
  if (user.id === principal.userId) throw forbidden(`You cannot change your own ${what}`, { field: 'params.userId' });
}

/** A platform admin's record is out of reach for org admins: only another platform admin may change it. */
export function assertOutranks(principal: Principal, user: User): void {
  if (user.platformAdmin && !principal.platformAdmin) throw forbidden('Only a platform admin can change a platform admin');
}

/**
 * Level `name` exists in `orgId` and the caller could hold it: it ranks no higher than the caller's own
 * level and carries no permission the caller lacks (platform admins may assign any level).
 */
export async function assertAssignableLevel(
  principal: Principal,
  orgId: string,
  name: string,
  levels: LevelCatalog,
  field = 'body.level',
): Promise<void> {
  const level = await levelOfOrg(levels, orgId, name, field);
  if (principal.platformAdmin) return;
  if (level.priority > levelPriority(principal)) throw forbidden(`Level "${name}" ranks above your own`, { field });
  const held = effectivePermissions(principal);
  const missing = [...level.permissions].filter((permission) => !held.has(permission));
  if (missing.length > 0)
    throw forbidden(`Level "${name}" carries permissions you do not hold: ${missing.join(', ')}`, { field, permissions: missing });
}

/**
 * Writes `current` with `patch` applied, bumping `authzVersion` so the write fails if anyone else changed
 * the record since it was read (409: read it again and retry).
 */
export async function saveUser(
  current: User,
  patch: Partial<Omit<User, 'id' | 'orgId' | 'createdAt' | 'authzVersion'>>,
  deps: { users: UserDirectory; clock: Clock },
): Promise<User> {
  const version = current.authzVersion ?? 0;
  const next: User = { ...current, ...patch, authzVersion: version + 1, updatedAt: deps.clock.now().toISOString() };
  if (!(await deps.users.save(next, version))) throw new AppError('conflict', 'The user was changed meanwhile; read it again and retry');
  return next;
}
