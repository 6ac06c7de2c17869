import type { CounterReader, QuotaSource, UsageRepository } from './quotas.port';
import { roundReported } from '#domain/amounts';
import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import type { CurrentUserSource } from '#domain/users/users.port';
import { AppError, notFound } from '#domain/errors/app-error';
import { teamOfOrg } from '#domain/tenancy/org-references';
import { userOfOrg } from '#domain/users/user-of-org';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import { usageCounter } from './counters';
import { periodEnd, periodKey } from './period';

export interface UsageQuery {
  /** The org a team or user scope is read in: the caller's, or any for a platform admin. */
  orgId?: string | undefined;
  scopeType: 'org' | 'team' | 'user';
  scopeId?: string;
  from: string;
  to: string;
}

/** Where an admin's team or user scope id is checked to belong to the caller's org. */
export interface UsageScopeSources {
  teams: Pick<TenancyRepository, 'getTeam'>;
  users: CurrentUserSource;
}

/**
 * Who may read whose usage: anyone their own; a lead their teams' (and members'), via `job.view.all`; an
 * admin their org's and its teams' and users' — each looked up in the caller's org, since team slugs repeat
 * across orgs and user ids are global; only a platform admin another org's. Anything else is "not found",
 * like other tenants' objects (the same answer for another org's id and for one that does not exist).
 */
async function assertMayRead(principal: Principal, query: Required<UsageQuery>, deps: UsageScopeSources): Promise<void> {
  if (principal.platformAdmin) return;
  if (query.scopeType === 'user' && query.scopeId === principal.userId) return;
  const admin = principal.level === 'admin' && hasPermission(principal, 'job.view.all');
  if (query.scopeType === 'org' && query.scopeId === principal.orgId && admin && hasPermission(principal, 'org.view')) return;
  if (query.scopeType === 'team' && hasPermission(principal, 'job.view.all')) {
    if (principal.teamIds.includes(query.scopeId)) return; // the principal's teams are teams of its org
    if (admin) return void (await teamOfOrg(deps.teams, principal.orgId, query.scopeId, 'query.scopeId'));
  }
  if (query.scopeType === 'user' && admin) return void (await userOfOrg(deps.users, principal.orgId, query.scopeId, 'query.scopeId'));
  throw notFound('Usage scope');
}

export async function usageReport(principal: Principal, query: UsageQuery, deps: { usage: UsageRepository } & UsageScopeSources) {
  // Another org is named only by platform admins; to anyone else it does not exist.
  const org = query.orgId ?? principal.orgId;
  if (org !== principal.orgId && !principal.platformAdmin)
    throw new AppError('not_found', 'Organization not found', { fields: [{ field: 'query.orgId', message: 'not your org' }] });
  const scopeId = query.scopeId ?? (query.scopeType === 'org' ? org : query.scopeType === 'user' ? principal.userId : principal.teamIds[0]);
  if (!scopeId)
    throw new AppError('validation_failed', 'Name the team', { fields: [{ field: 'query.scopeId', message: 'required for team usage' }] });
  if (query.from > query.to)
    throw new AppError('validation_failed', 'from is after to', { fields: [{ field: 'query.from', message: 'must not be after `to`' }] });
  if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 > 366) {
    throw new AppError('validation_failed', 'At most one year per request', {
      fields: [{ field: 'query.to', message: 'at most 366 days after `from`' }],
    });
  }
  const resolved = { ...query, orgId: org, scopeId };
  await assertMayRead(principal, resolved, deps);
  // An org scope names its org; a team or user scope is read in `org` (slugs repeat across orgs).
  const orgId = query.scopeType === 'org' ? scopeId : org;
  const days = await deps.usage.daily(orgId, query.scopeType, scopeId, query.from, query.to);
  const total = days.reduce(
    (sum, d) => ({ gpuHours: sum.gpuHours + d.gpuHours, costUsd: sum.costUsd + d.costUsd, jobs: sum.jobs + d.jobs }),
    { gpuHours: 0, costUsd: 0, jobs: 0 },
  );
  return {
    scopeType: query.scopeType,
    scopeId,
    from: query.from,
    to: query.to,
    total: { gpuHours: round(total.gpuHours), costUsd: round(total.costUsd), jobs: total.jobs },
    days,
  };
}

/**
 * The per-backend cost limits of the caller's org with what this period has used (reserved by running
 * jobs plus settled), and a status: `ok`, `warning` (≥ 80 %), `exceeded`.
 */
export async function costLimitStatus(principal: Principal, deps: { quotas: QuotaSource; jobs: CounterReader; clock: { now(): Date } }) {
  const at = deps.clock.now();
  const limits = (await deps.quotas.forOrg(principal.orgId)).filter((q) => q.scopeType === 'backend');
  const counters = limits.map((q) =>
    usageCounter(
      q.metric,
      { type: 'backend', orgId: principal.orgId, id: q.scopeId },
      { period: q.period ?? 'month', key: periodKey(q.period ?? 'month', at) },
    ),
  );
  const values = await deps.jobs.readCounters(counters);
  return limits.map((quota, index) => {
    const used = values[counters[index] ?? ''] ?? 0;
    const ratio = quota.limit > 0 ? used / quota.limit : 0;
    return {
      quotaId: quota.id,
      backend: quota.scopeId,
      metric: quota.metric,
      period: quota.period ?? 'month',
      action: quota.action,
      limit: quota.limit,
      used: round(used),
      percent: Math.round(ratio * 1000) / 10,
      status: ratio > 1 ? 'exceeded' : ratio >= 0.8 ? 'warning' : 'ok',
      resetsAt: periodEnd(quota.period ?? 'month', at).toISOString(),
    };
  });
}

const round = roundReported;
