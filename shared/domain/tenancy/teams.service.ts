import { reachOf, reaches, reachesOrg } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { forbidden, notFound } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import type { Team } from './tenancy.schema';
import type { TenancyRepository } from './tenancy.port';
import type { ListOptions, Page } from '#domain/page';

/** Finding, listing and changing teams; members (kept on the user record) are `users/team-membership.service.ts`. */
export interface TeamsDeps {
  tenancy: TenancyRepository;
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
