import type { LevelCatalog } from '#domain/authz/authz.port';
import type { OrgStatusSource } from '#domain/tenancy/tenancy.port';
import type { CurrentUserSource } from '#domain/users/users.port';
import { isUsableApiKey } from './api-key-status';
import type { ApiKeyStatusSource } from './identity.port';
import { resolveAccessFor } from '#domain/authz/levels';
import type { Principal } from '#domain/authz/principal';

export type GateOutcome =
  | { ok: true; principal: Principal }
  /**
   * `unknown`: no such user (or moved to another org), or the API key used is revoked, expired or gone;
   * `disabled`: the user or their org is disabled.
   */
  | { ok: false; reason: 'unknown' | 'disabled' };

export type PrincipalGate = (principal: Principal) => Promise<GateOutcome>;

/**
 * The access gate every route function runs before its permission check (docs/permissions.md: "a demotion takes
 * effect on the next request after the cache window"; the issue: "a disabled user is refused at the next
 * request").
 *
 * API Gateway caches the authorizer's answer per Authorization header for up to 60 s, so the principal a
 * route receives may be that old. The gate re-reads the user record (one strongly consistent GetItem) and
 * rebuilds the principal's authorization from it: status, org, level, platform flag, teams and overrides
 * are therefore current at every request. Only custom level definitions and org and team status come from
 * caches, each of at most 60 s and dropped at once in the process that changed them.
 *
 * A disabled team (soft-deleted) is dropped from the principal's teams: nobody charges jobs to it or leads
 * it any more, while its history keeps referring to it.
 */
export function createAccessGate(deps: {
  users: CurrentUserSource;
  levels: LevelCatalog;
  orgs?: OrgStatusSource;
  /** Every deployed function passes it: an API key's revocation then applies at the next request. */
  apiKeys?: ApiKeyStatusSource;
  now?: () => Date;
}): PrincipalGate {
  const now = deps.now ?? (() => new Date());
  return async (principal) => {
    const viaApiKey = principal.authMethod === 'api_key';
    // A principal from an API key that does not name it (an authorizer answer cached from an older version) cannot be checked.
    if (viaApiKey && deps.apiKeys && !principal.apiKeyHash) return { ok: false, reason: 'unknown' };
    // All at once: the org (and its teams) are the principal's, checked against the record just below.
    const [user, orgActive, disabledTeams, apiKey] = await Promise.all([
      deps.users.currentUser(principal.userId),
      deps.orgs ? deps.orgs.isActive(principal.orgId) : Promise.resolve(true),
      deps.orgs ? deps.orgs.disabledTeams(principal.orgId) : Promise.resolve(new Set<string>()),
      viaApiKey && deps.apiKeys && principal.apiKeyHash ? deps.apiKeys.statusOf(principal.apiKeyHash) : Promise.resolve(undefined),
    ]);
    // The org is the database's: a principal claiming another org than the record's is not this user.
    if (!user || user.orgId !== principal.orgId) return { ok: false, reason: 'unknown' };
    // A revoked (or expired, or deleted) key is refused at the next request, whatever API Gateway cached.
    if (viaApiKey && deps.apiKeys && (!isUsableApiKey(apiKey, now()) || apiKey.ownerId !== user.id))
      return { ok: false, reason: 'unknown' };
    if (user.status !== 'active' || !orgActive) return { ok: false, reason: 'disabled' };
    const access = await resolveAccessFor(
      { orgId: user.orgId, level: user.level, platformAdmin: user.platformAdmin, overrides: user.overrides ?? [] },
      deps.levels,
    );
    const teamIds = user.teamIds.filter((teamId) => !disabledTeams.has(teamId));
    return {
      ok: true,
      principal: {
        ...principal,
        level: user.level,
        platformAdmin: user.platformAdmin,
        teamIds,
        resourceGrants: user.resourceGrants ?? [],
        permissions: access.permissions,
        levelPriority: access.levelPriority,
        permissionsVersion: user.authzVersion ?? 0,
      },
    };
  };
}
