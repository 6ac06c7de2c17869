import { describeLevel } from '#domain/authz/levels';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { AppError } from '#domain/errors/app-error';
import type { Team } from './tenancy.schema';
import type { TenancyRepository } from './tenancy.port';

/**
 * Ids that a request names in its query or body (a team, a user, a level) and that must belong to the org the
 * request acts on (docs/permissions.md#tenancy). Another org's object and a missing one get the same answer — 404 naming the
 * field, with a message that repeats only what the caller sent — so there is no existence oracle and nothing
 * is ever silently moved into the caller's org. The user check, `userOfOrg`, sits with the user record in
 * `users/user-of-org.ts`.
 */
export const unknownInOrg = (what: string, id: string, field: string): AppError =>
  new AppError('not_found', `No ${what} "${id}" in this org`, { fields: [{ field, message: `not a ${what} of the org` }] });

/** Team `teamId` of `orgId`, active or not; 404 naming `field` when the org has no such team. */
export async function teamOfOrg(teams: Pick<TenancyRepository, 'getTeam'>, orgId: string, teamId: string, field: string): Promise<Team> {
  const team = await teams.getTeam(orgId, teamId);
  if (!team || team.orgId !== orgId) throw unknownInOrg('team', teamId, field);
  return team;
}

/** Team `teamId` of `orgId`, which must also be active: a disabled team of the caller's own org is a 422, not hidden. */
export async function activeTeamOfOrg(
  teams: Pick<TenancyRepository, 'getTeam'>,
  orgId: string,
  teamId: string,
  field: string,
): Promise<Team> {
  const team = await teamOfOrg(teams, orgId, teamId, field);
  if (team.status !== 'active') {
    throw new AppError('unprocessable', `Team "${teamId}" is disabled`, { fields: [{ field, message: 'a disabled team' }] });
  }
  return team;
}

/** A built-in level or a custom level of `orgId` (custom levels are org-scoped: another org's is unknown here). */
export async function levelOfOrg(levels: LevelCatalog, orgId: string, name: string, field: string) {
  const level = await describeLevel(orgId, name, levels);
  if (!level) throw unknownInOrg('level', name, field);
  return level;
}
