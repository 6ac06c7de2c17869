import { reachOf, reaches, reachesOrg } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { User } from '#domain/identity/user.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { saveUser } from '#domain/users/user-admin.rules';
import type { UserDirectory } from '#domain/users/users.port';
import { teamSchema, type Team, type TeamRole } from './tenancy.schema';
import type { TenancyRepository } from './tenancy.port';
import type { ListOptions, Page } from '#domain/page';

export interface TeamsDeps {
  tenancy: TenancyRepository;
  users: UserDirectory;
  clock: Clock;
}

type TeamPermission = 'team.view' | 'team.manage' | 'team.manage.members';

/**
 * A team within `permission`'s reach (a lead: their teams; an admin: their org; a platform admin: any),
 * else "not found": a team of another org, or one the caller cannot see, is indistinguishable from none.
 */
export async function reachableTeam(
  principal: Principal,
  orgId: string,
  teamId: string,
  deps: TeamsDeps,
  permission: TeamPermission = 'team.view',
): Promise<Team> {
  const visible = reaches(principal, 'team.view', { orgId, teamIds: [teamId] });
  if (!visible) throw notFound('Team');
  const team = await deps.tenancy.getTeam(orgId, teamId);
  if (!team) throw notFound('Team');
  if (permission !== 'team.view' && !reaches(principal, permission, { orgId, teamIds: [teamId] })) {
    throw forbidden(`Permission ${permission} does not reach team "${teamId}"`, { permission });
  }
  return team;
}

/** Teams of `orgId` the caller may see: all of them with org reach, else only the caller's own teams. */
export async function listTeams(principal: Principal, orgId: string, page: ListOptions, deps: TeamsDeps): Promise<Page<Team>> {
  const reach = reachOf(principal, 'team.view');
  if (!reachesOrg(principal, 'team.view', orgId)) throw notFound('Org');
  if (reach === 'platform' || reach === 'org') return deps.tenancy.listTeams(orgId, page);
  if (page.cursor) return { items: [] };
  const teams = await Promise.all(principal.teamIds.slice(0, page.limit).map((teamId) => deps.tenancy.getTeam(orgId, teamId)));
  return { items: teams.filter((team): team is Team => team !== undefined) };
}

/**
 * Creates a team in `orgId` (`team.create`). A creator whose reach is their own teams (a lead) becomes the
 * team's lead at once, or they could not see the team they just made.
 */
export async function createTeam(
  principal: Principal,
  orgId: string,
  input: { slug: string; name: string },
  deps: TeamsDeps,
): Promise<Team> {
  if (!reachesOrg(principal, 'team.create', orgId)) throw notFound('Org');
  const org = await deps.tenancy.getOrg(orgId);
  if (!org) throw notFound('Org');
  if (org.status !== 'active') throw new AppError('invalid_state', 'The org is disabled');
  const team = teamSchema.parse({
    id: input.slug,
    slug: input.slug,
    orgId,
    name: input.name,
    status: 'active',
    createdAt: deps.clock.now().toISOString(),
  });
  if (!(await deps.tenancy.createTeam(team)))
    throw new AppError('conflict', `A team "${input.slug}" already exists in this org`, { field: 'body.slug' });
  if (reachOf(principal, 'team.view') === 'teams' && principal.orgId === orgId) {
    const creator = await deps.users.currentUser(principal.userId);
    if (creator) await saveUser(creator, withMembership(creator, team.id, 'lead'), deps);
  }
  return team;
}

/** Renames, disables (soft delete) or re-enables a team (`team.manage`). */
export async function updateTeam(
  principal: Principal,
  orgId: string,
  teamId: string,
  patch: { name?: string | undefined; status?: Team['status'] | undefined },
  deps: TeamsDeps,
): Promise<{ team: Team; previous: Team }> {
  const previous = await reachableTeam(principal, orgId, teamId, deps, 'team.manage');
  const team = await deps.tenancy.updateTeam(orgId, teamId, patch, deps.clock.now().toISOString());
  if (!team) throw notFound('Team');
  return { team, previous };
}

export async function listMembers(
  principal: Principal,
  orgId: string,
  teamId: string,
  page: ListOptions,
  deps: TeamsDeps,
): Promise<Page<User>> {
  await reachableTeam(principal, orgId, teamId, deps);
  return deps.users.list(orgId, { teamId }, page);
}

function withMembership(user: User, teamId: string, role: TeamRole | undefined): Pick<User, 'teamIds' | 'teamRoles'> {
  const roles = { ...(user.teamRoles ?? {}) };
  delete roles[teamId];
  if (role === undefined) return { teamIds: user.teamIds.filter((id) => id !== teamId), teamRoles: roles };
  return { teamIds: user.teamIds.includes(teamId) ? user.teamIds : [...user.teamIds, teamId], teamRoles: { ...roles, [teamId]: role } };
}

/** A user of the team's org, or "not found" (a user of another org cannot be added, and is not revealed). */
async function orgMember(principal: Principal, orgId: string, userId: string, deps: TeamsDeps): Promise<User> {
  const user = await deps.users.currentUser(userId);
  if (!user || user.orgId !== orgId) throw notFound('User');
  if (user.id === principal.userId) throw forbidden('You cannot change your own team memberships', { field: 'params.userId' });
  if (user.platformAdmin && !principal.platformAdmin) throw forbidden('Only a platform admin can change a platform admin');
  return user;
}

/** Adds a user to a team, or changes their role in it (`team.manage.members` reaching the team). */
export async function putMember(
  principal: Principal,
  orgId: string,
  teamId: string,
  userId: string,
  role: TeamRole,
  deps: TeamsDeps,
): Promise<User> {
  const team = await reachableTeam(principal, orgId, teamId, deps, 'team.manage.members');
  if (team.status !== 'active') throw new AppError('invalid_state', 'The team is disabled');
  const user = await orgMember(principal, orgId, userId, deps);
  return saveUser(user, withMembership(user, teamId, role), deps);
}

export async function removeMember(principal: Principal, orgId: string, teamId: string, userId: string, deps: TeamsDeps): Promise<User> {
  await reachableTeam(principal, orgId, teamId, deps, 'team.manage.members');
  const user = await orgMember(principal, orgId, userId, deps);
  if (!user.teamIds.includes(teamId)) throw notFound('Member');
  return saveUser(user, withMembership(user, teamId, undefined), deps);
}
