import { resolveAccessFor, type ResolvedAccess } from '#domain/authz/levels';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { normalizeOverrides, ungrantable, type PermissionOverride } from '#domain/authz/overrides';
import { effectivePermissions } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { User } from './user.schema';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { activeTeamOfOrg, levelOfOrg, teamOfOrg } from '#domain/tenancy/org-references';
import type { TeamRole } from '#domain/tenancy/tenancy.schema';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { ListOptions, Page } from '#domain/page';
import { assertAssignableLevel, assertNotSelf, assertOrgReach, assertOutranks, saveUser, visibleUser } from './user-admin.rules';
import type { UserDirectory, UserFilters } from './users.port';

export interface UsersAdminDeps {
  users: UserDirectory;
  levels: LevelCatalog;
  tenancy: TenancyRepository;
  clock: Clock;
  ids: IdSource;
}

export interface TeamMembership {
  teamId: string;
  role: TeamRole;
}

export async function listUsers(
  principal: Principal,
  orgId: string,
  filters: UserFilters,
  page: ListOptions,
  deps: UsersAdminDeps,
): Promise<Page<User>> {
  assertOrgReach(principal, orgId);
  // Filtering by another org's team or custom level is naming an object that does not exist here (404), not an empty page.
  if (filters.teamId !== undefined) await teamOfOrg(deps.tenancy, orgId, filters.teamId, 'query.teamId');
  if (filters.level !== undefined) await levelOfOrg(deps.levels, orgId, filters.level, 'query.level');
  return deps.users.list(orgId, filters, page);
}

export function getUser(principal: Principal, id: string, deps: UsersAdminDeps): Promise<User> {
  return visibleUser(principal, id, deps.users);
}

/** Every team must be an active team of `orgId`: 404 for one the org does not have (or another org's), 422 for a disabled one. */
async function assertTeams(orgId: string, teams: readonly TeamMembership[], tenancy: TenancyRepository, field: string): Promise<void> {
  for (const [index, { teamId }] of teams.entries()) await activeTeamOfOrg(tenancy, orgId, teamId, `${field}.${index}.teamId`);
}

const membershipFields = (teams: readonly TeamMembership[]): Pick<User, 'teamIds' | 'teamRoles'> => ({
  teamIds: [...new Set(teams.map((t) => t.teamId))],
  teamRoles: Object.fromEntries(teams.map((t) => [t.teamId, t.role])),
});

/**
 * Creates a user in `orgId` (the caller's org, or any for a platform admin). The level must be one the
 * caller could hold; the platform-admin flag is never set here (see `setUserLevel`).
 */
export async function createUser(
  principal: Principal,
  orgId: string,
  input: { id?: string | undefined; email: string; displayName: string; level: string; teams: TeamMembership[] },
  deps: UsersAdminDeps,
): Promise<User> {
  assertOrgReach(principal, orgId);
  const org = await deps.tenancy.getOrg(orgId);
  if (!org) throw notFound('Org');
  if (org.status !== 'active') throw new AppError('invalid_state', 'The org is disabled');
  await assertAssignableLevel(principal, orgId, input.level, deps.levels);
  await assertTeams(orgId, input.teams, deps.tenancy, 'body.teams');
  const now = deps.clock.now().toISOString();
  const user: User = {
    schemaVersion: 1,
    id: input.id ?? deps.ids.next().toLowerCase(),
    email: input.email,
    displayName: input.displayName,
    orgId,
    level: input.level,
    platformAdmin: false,
    ...membershipFields(input.teams),
    status: 'active',
    overrides: [],
    authzVersion: 1,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.users.create(user))) throw new AppError('conflict', `A user with id "${user.id}" already exists`);
  return user;
}

export async function updateUserProfile(
  principal: Principal,
  id: string,
  patch: { email?: string | undefined; displayName?: string | undefined },
  deps: UsersAdminDeps,
): Promise<User> {
  const user = await visibleUser(principal, id, deps.users);
  assertOutranks(principal, user);
  return saveUser(
    user,
    { ...(patch.email ? { email: patch.email } : {}), ...(patch.displayName ? { displayName: patch.displayName } : {}) },
    deps,
  );
}

/** Changes a user's level (and, for platform admins only, the platform-admin flag). Takes effect at the user's next request. */
export async function setUserLevel(
  principal: Principal,
  id: string,
  input: { level: string; platformAdmin?: boolean | undefined },
  deps: UsersAdminDeps,
): Promise<{ user: User; previous: User }> {
  const user = await visibleUser(principal, id, deps.users);
  assertNotSelf(principal, user, 'level');
  assertOutranks(principal, user);
  if (input.platformAdmin !== undefined && input.platformAdmin !== user.platformAdmin && !principal.platformAdmin) {
    throw forbidden('Only a platform admin can change the platform-admin flag', { field: 'body.platformAdmin' });
  }
  await assertAssignableLevel(principal, user.orgId, input.level, deps.levels);
  const next = await saveUser(
    user,
    { level: input.level, ...(input.platformAdmin !== undefined ? { platformAdmin: input.platformAdmin } : {}) },
    deps,
  );
  return { user: next, previous: user };
}

/** Disables or enables a user; a disabled user is refused at their next request (the access gate). */
export async function setUserStatus(principal: Principal, id: string, status: User['status'], deps: UsersAdminDeps): Promise<User> {
  const user = await visibleUser(principal, id, deps.users);
  assertNotSelf(principal, user, 'status');
  assertOutranks(principal, user);
  return user.status === status ? user : saveUser(user, { status }, deps);
}

/**
 * Replaces a user's permission overrides. Deny wins over grant (the list is normalized so it says what
 * applies); a grant of anything the caller does not hold, or of a platform-only permission, is refused.
 */
export async function setUserOverrides(
  principal: Principal,
  id: string,
  overrides: PermissionOverride[],
  deps: UsersAdminDeps,
): Promise<User> {
  const user = await visibleUser(principal, id, deps.users);
  assertNotSelf(principal, user, 'permission overrides');
  assertOutranks(principal, user);
  const refused = ungrantable(effectivePermissions(principal), overrides);
  if (refused.length > 0) {
    throw forbidden(`You cannot grant permissions you do not hold: ${refused.join(', ')}`, {
      field: 'body.overrides',
      permissions: refused,
    });
  }
  return saveUser(user, { overrides: normalizeOverrides(overrides) }, deps);
}

/** Replaces a user's team memberships (teams of the user's own org only). */
export async function setUserTeams(principal: Principal, id: string, teams: TeamMembership[], deps: UsersAdminDeps): Promise<User> {
  const user = await visibleUser(principal, id, deps.users);
  assertNotSelf(principal, user, 'team memberships');
  assertOutranks(principal, user);
  await assertTeams(user.orgId, teams, deps.tenancy, 'body.teams');
  return saveUser(user, membershipFields(teams), deps);
}

/** What the user holds right now, as the access gate would resolve it. */
export async function userAccess(principal: Principal, id: string, deps: UsersAdminDeps): Promise<{ user: User; access: ResolvedAccess }> {
  const user = await visibleUser(principal, id, deps.users);
  const access = await resolveAccessFor(
    { orgId: user.orgId, level: user.level, platformAdmin: user.platformAdmin, overrides: user.overrides ?? [] },
    deps.levels,
  );
  return { user, access };
}
