import { reachOf, reachesOrg } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { ListOptions, Page } from '#domain/page';
import { reachableTeam, type TeamsDeps } from '#domain/tenancy/teams.service';
import { teamSchema, type Team, type TeamRole } from '#domain/tenancy/tenancy.schema';
import { saveUser } from './user-admin.rules';
import type { User } from './user.schema';
import type { UserDirectory } from './users.port';

/**
 * Team membership lives on the user record (`teamIds`, `teamRoles`), so the team use cases that write it sit
 * with the users: adding, changing and removing members, listing them, and creating a team, whose creator
 * becomes its lead when their reach is their own teams. Finding and listing teams is `tenancy/teams.service.ts`.
 */
export interface TeamMembershipDeps extends TeamsDeps {
  users: UserDirectory;
}

/**
 * Creates a team in `orgId` (`team.create`). A creator whose reach is their own teams (a lead) becomes the
 * team's lead at once, or they could not see the team they just made.
 */
export async function createTeam(
  principal: Principal,
  orgId: string,
  input: { slug: string; name: string },
  deps: TeamMembershipDeps,
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

export async function listMembers(
  principal: Principal,
  orgId: string,
  teamId: string,
  page: ListOptions,
  deps: TeamMembershipDeps,
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
async function orgMember(principal: Principal, orgId: string, userId: string, deps: TeamMembershipDeps): Promise<User> {
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
  deps: TeamMembershipDeps,
): Promise<User> {
  const team = await reachableTeam(principal, orgId, teamId, deps, 'team.manage.members');
  if (team.status !== 'active') throw new AppError('invalid_state', 'The team is disabled');
  const user = await orgMember(principal, orgId, userId, deps);
  return saveUser(user, withMembership(user, teamId, role), deps);
}

export async function removeMember(
  principal: Principal,
  orgId: string,
  teamId: string,
  userId: string,
  deps: TeamMembershipDeps,
): Promise<User> {
  await reachableTeam(principal, orgId, teamId, deps, 'team.manage.members');
  const user = await orgMember(principal, orgId, userId, deps);
  if (!user.teamIds.includes(teamId)) throw notFound('Member');
  return saveUser(user, withMembership(user, teamId, undefined), deps);
}
