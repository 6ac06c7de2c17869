import type { LevelCatalog } from '#domain/authz/authz.port';
import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { levelOfOrg, teamOfOrg } from '#domain/tenancy/org-references';
import { userOfOrg } from '#domain/users/user-of-org';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { CurrentUserSource } from '#domain/users/users.port';
import type { QuotaRepository } from './quotas.port';
import { quotaInputSchema, type Quota, type QuotaInput, type QuotaScopeType } from './quota.schema';

/** Where a quota's scope id is looked up: it must name a team, user or level of the quota's org. */
export interface QuotaScopeSources {
  teams: Pick<TenancyRepository, 'getTeam'>;
  users: CurrentUserSource;
  levels: LevelCatalog;
}

export interface QuotaDeps extends QuotaScopeSources {
  quotas: QuotaRepository;
  clock: Clock;
  ids: IdSource;
}

/** The org a caller administers; platform admins may name another one. */
function orgFor(principal: Principal, orgId?: string): string {
  if (orgId && orgId !== principal.orgId) {
    if (!principal.platformAdmin) throw notFound('Organization');
    return orgId;
  }
  return principal.orgId;
}

/**
 * The scope id of a new quota in `org` (docs/permissions.md#tenancy): a team, user or level of that org, 404 naming
 * `body.scopeId` otherwise — another org's id is never stored here under the caller's org. Backends are
 * deployment-wide kinds, so a backend scope names no org object.
 */
async function scopeIdIn(org: string, scopeType: QuotaScopeType, scopeId: string | undefined, deps: QuotaScopeSources): Promise<string> {
  const field = 'body.scopeId';
  if (scopeType === 'org') {
    if (scopeId !== undefined && scopeId !== org)
      throw new AppError('not_found', 'Organization not found', { fields: [{ field, message: 'not the org the quota is created in' }] });
    return org;
  }
  const id = scopeId ?? org; // the input schema requires it for every other scope type
  if (scopeType === 'team') await teamOfOrg(deps.teams, org, id, field);
  else if (scopeType === 'user') await userOfOrg(deps.users, org, id, field);
  else if (scopeType === 'level') await levelOfOrg(deps.levels, org, id, field);
  return id;
}

/**
 * The ceiling model (docs/quotas.md): a team, user, level or backend quota may not exceed the org's blocking
 * quota of the same metric and period. Lowering the org ceiling later does not rewrite the others: the
 * smallest remaining headroom applies at admission anyway.
 */
function assertUnderOrgCeiling(candidate: Quota, existing: readonly Quota[]): void {
  if (candidate.scopeType === 'org') return;
  const ceiling = existing.find(
    (q) =>
      q.scopeType === 'org' &&
      q.action === 'block' &&
      q.metric === candidate.metric &&
      q.period === candidate.period &&
      q.id !== candidate.id,
  );
  if (ceiling && candidate.limit > ceiling.limit) {
    throw new AppError('validation_failed', `Above the organization's ceiling of ${ceiling.limit} for ${candidate.metric}`, {
      fields: [{ field: 'body.limit', message: `must be ≤ ${ceiling.limit}, the org ceiling (quota ${ceiling.id})` }],
      ceilingQuotaId: ceiling.id,
    });
  }
}

export async function listQuotas(principal: Principal, deps: QuotaDeps, orgId?: string): Promise<Quota[]> {
  return deps.quotas.forOrg(orgFor(principal, orgId));
}

export async function createQuota(principal: Principal, input: QuotaInput, deps: QuotaDeps, orgId?: string): Promise<Quota> {
  if (!hasPermission(principal, 'admin.config')) throw forbidden('Permission admin.config is required');
  const org = orgFor(principal, orgId);
  const parsed = quotaInputSchema.parse(input);
  const scopeId = await scopeIdIn(org, parsed.scopeType, parsed.scopeId, deps);
  const now = deps.clock.now().toISOString();
  const quota: Quota = {
    schemaVersion: 1,
    id: deps.ids.next(),
    orgId: org,
    metric: parsed.metric,
    ...(parsed.period ? { period: parsed.period } : {}),
    scopeType: parsed.scopeType,
    scopeId,
    limit: parsed.limit,
    action: parsed.action,
    ...(parsed.description ? { description: parsed.description } : {}),
    createdAt: now,
    updatedAt: now,
    updatedBy: principal.userId,
  };
  const existing = await deps.quotas.forOrg(org);
  const duplicate = existing.find(
    (q) =>
      q.metric === quota.metric &&
      q.period === quota.period &&
      q.scopeType === quota.scopeType &&
      q.scopeId === quota.scopeId &&
      q.action === quota.action,
  );
  if (duplicate)
    throw new AppError('conflict', `A ${quota.action} quota for this scope and metric exists already (${duplicate.id}): update it`);
  assertUnderOrgCeiling(quota, existing);
  await deps.quotas.put(quota);
  return quota;
}

export async function updateQuota(
  principal: Principal,
  id: string,
  change: { limit?: number; action?: Quota['action']; description?: string },
  deps: QuotaDeps,
  orgId?: string,
): Promise<Quota> {
  if (!hasPermission(principal, 'admin.config')) throw forbidden('Permission admin.config is required');
  const org = orgFor(principal, orgId);
  const current = await deps.quotas.get(org, id);
  if (!current) throw notFound('Quota');
  const next: Quota = { ...current, ...change, updatedAt: deps.clock.now().toISOString(), updatedBy: principal.userId };
  assertUnderOrgCeiling(next, await deps.quotas.forOrg(org));
  await deps.quotas.put(next);
  return next;
}

export async function deleteQuota(principal: Principal, id: string, deps: QuotaDeps, orgId?: string): Promise<void> {
  if (!hasPermission(principal, 'admin.config')) throw forbidden('Permission admin.config is required');
  if (!(await deps.quotas.delete(orgFor(principal, orgId), id))) throw notFound('Quota');
}
