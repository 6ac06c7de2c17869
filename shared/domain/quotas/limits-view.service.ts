import type { CounterReader, LimitsSource, QuotaSource } from './quotas.port';
import { roundAmount } from '#domain/amounts';
import type { Principal } from '#domain/authz/principal';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import { GLOBAL_CONCURRENCY, usageCounter, userConcurrency, type ScopeRef } from './counters';
import { periodEnd, periodKey } from './period';
import type { Quota, QuotaMetric, QuotaPeriod } from './quota.schema';

export interface LimitView {
  quotaId?: string;
  /** `user_max_concurrent` and `max_concurrent` are limits too, without a quota record. */
  source: 'quota' | 'user_max_concurrent' | 'max_concurrent';
  metric: QuotaMetric;
  period?: QuotaPeriod;
  /** `global` for the deployment-wide `max_concurrent`. */
  scopeType: Quota['scopeType'] | 'global';
  scopeId: string;
  action: Quota['action'];
  limit: number;
  used: number;
  headroom: number;
  resetsAt?: string;
}

export interface EffectiveLimit {
  metric: QuotaMetric;
  period?: QuotaPeriod;
  /** The smallest headroom among the blocking limits of this metric: what the caller can still start. */
  headroom: number;
  boundBy: string;
}

export interface LimitsViewDeps {
  jobs: CounterReader;
  quotas: QuotaSource;
  limits: LimitsSource;
  clock: { now(): Date };
}

/** The counter a quota reads for `principal` (team quotas: only teams the caller belongs to). */
function counterFor(quota: Quota, principal: Principal, at: Date): string | undefined {
  const orgId = principal.orgId;
  let scope: ScopeRef | undefined;
  if (quota.scopeType === 'org' && quota.scopeId === orgId) scope = { type: 'org', orgId, id: orgId };
  if (quota.scopeType === 'team' && principal.teamIds.includes(quota.scopeId)) scope = { type: 'team', orgId, id: quota.scopeId };
  if (quota.scopeType === 'user' && quota.scopeId === principal.userId) scope = { type: 'user', orgId, id: principal.userId };
  if (quota.scopeType === 'level' && quota.scopeId === principal.level) scope = { type: 'user', orgId, id: principal.userId };
  if (quota.scopeType === 'backend') scope = { type: 'backend', orgId, id: quota.scopeId };
  if (!scope) return undefined;
  const period = quota.metric === 'daily_jobs' ? 'day' : quota.period;
  return usageCounter(quota.metric, scope, period ? { period, key: periodKey(period, at) } : undefined);
}

/**
 * `GET /v1/me/limits`: every limit that applies to the caller, its usage and headroom, and per metric the
 * effective headroom — the smallest among blocking limits (org 100, team 20, user 50 → 20).
 */
export async function myLimits(principal: Principal, deps: LimitsViewDeps): Promise<{ limits: LimitView[]; effective: EffectiveLimit[] }> {
  const at = deps.clock.now();
  const [quotas, concurrency] = await Promise.all([deps.quotas.forOrg(principal.orgId), deps.limits.current()]);
  const applicable = quotas.flatMap((quota) => {
    const counter = counterFor(quota, principal, at);
    return counter ? [{ quota, counter }] : [];
  });
  const userCounter = userConcurrency(principal.orgId, principal.userId);
  const values = await deps.jobs.readCounters([GLOBAL_CONCURRENCY, userCounter, ...applicable.map((a) => a.counter)]);
  const views: LimitView[] = [
    ...builtIn(principal, concurrency, values, userCounter),
    ...applicable.map(({ quota, counter }): LimitView => {
      const used = values[counter] ?? 0;
      const period = quota.metric === 'daily_jobs' ? 'day' : quota.period;
      return {
        quotaId: quota.id,
        source: 'quota',
        metric: quota.metric,
        ...(quota.period ? { period: quota.period } : {}),
        scopeType: quota.scopeType,
        scopeId: quota.scopeId,
        action: quota.action,
        limit: quota.limit,
        used,
        headroom: Math.max(0, round(quota.limit - used)),
        ...(period ? { resetsAt: periodEnd(period, at).toISOString() } : {}),
      };
    }),
  ];
  return { limits: views, effective: effectiveLimits(views) };
}

function builtIn(principal: Principal, limits: ConcurrencyLimits, values: Record<string, number>, userCounter: string): LimitView[] {
  const global = values[GLOBAL_CONCURRENCY] ?? 0;
  const mine = values[userCounter] ?? 0;
  return [
    {
      source: 'max_concurrent',
      metric: 'concurrent_jobs',
      scopeType: 'global',
      scopeId: 'global',
      action: 'block',
      limit: limits.maxConcurrent,
      used: global,
      headroom: Math.max(0, limits.maxConcurrent - global),
    },
    {
      source: 'user_max_concurrent',
      metric: 'concurrent_jobs',
      scopeType: 'user',
      scopeId: principal.userId,
      action: 'block',
      limit: limits.userMaxConcurrent,
      used: mine,
      headroom: Math.max(0, limits.userMaxConcurrent - mine),
    },
  ];
}

/** Per metric (and period), the tightest blocking limit; warn/notify limits never hold a job back. */
export function effectiveLimits(views: readonly LimitView[]): EffectiveLimit[] {
  const byMetric = new Map<string, EffectiveLimit>();
  for (const view of views) {
    if (view.action !== 'block') continue;
    const key = `${view.metric}:${view.period ?? ''}`;
    const current = byMetric.get(key);
    if (!current || view.headroom < current.headroom) {
      byMetric.set(key, {
        metric: view.metric,
        ...(view.period ? { period: view.period } : {}),
        headroom: view.headroom,
        boundBy: view.quotaId ? `${view.scopeType} ${view.scopeId} quota ${view.quotaId}` : view.source,
      });
    }
  }
  return [...byMetric.values()];
}

const round = roundAmount;
