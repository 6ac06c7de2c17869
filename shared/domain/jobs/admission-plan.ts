import type { AppliedQuota, Quota, QuotaMetric } from '#domain/quotas/quota.schema';
import { gpuHours, reservedHours, roundAmount } from '#domain/amounts';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import { type CounterEffect, GLOBAL_CONCURRENCY, type Hold, type ScopeRef, usageCounter } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';
import { periodEnd, periodKey } from '#domain/quotas/period';

export interface AdmissionPlan {
  /** Counter effects of the admission transaction, one per counter item, with the tightest block limit. */
  effects: CounterEffect[];
  /** What the job holds afterwards, for release and settlement at its end. */
  holds: Hold[];
  /** Every quota that applies, including warn/notify ones, for explanations and events. */
  applied: AppliedQuota[];
}

const hours = reservedHours;

/** How much of each metric a job uses (budgets are reserved at the estimate: max runtime). */
export function jobAmounts(job: Job): Record<QuotaMetric, number> {
  return {
    concurrent_jobs: 1,
    concurrent_gpus: job.gpuCount,
    gpu_hours: gpuHours(job.gpuCount, hours(job.spec.maxRuntimeMinutes)),
    cost_usd: job.estimatedCostUsd,
    daily_jobs: 1,
  };
}

/** The scope instances a job counts against. A level quota is a per-user limit: it reads the user scope. */
export function jobScopes(job: Job): ScopeRef[] {
  const orgId = job.orgId;
  const scopes: ScopeRef[] = [
    { type: 'org', orgId, id: orgId },
    { type: 'user', orgId, id: job.ownerId },
    { type: 'backend', orgId, id: job.backend },
  ];
  if (job.teamId) scopes.push({ type: 'team', orgId, id: job.teamId });
  return scopes;
}

/** Whether `quota` applies to `job`, and then the scope instance it reads. */
export function scopeOf(quota: Quota, job: Job): ScopeRef | undefined {
  const orgId = job.orgId;
  switch (quota.scopeType) {
    case 'org':
      return quota.scopeId === orgId ? { type: 'org', orgId, id: orgId } : undefined;
    case 'team':
      return job.teamId && quota.scopeId === job.teamId ? { type: 'team', orgId, id: job.teamId } : undefined;
    case 'user':
      return quota.scopeId === job.ownerId ? { type: 'user', orgId, id: job.ownerId } : undefined;
    case 'level':
      return job.ownerLevel && quota.scopeId === job.ownerLevel ? { type: 'user', orgId, id: job.ownerId } : undefined;
    case 'backend':
      return quota.scopeId === job.backend ? { type: 'backend', orgId, id: job.backend } : undefined;
  }
}

/** The quotas of the job's org that apply to it, each with its counter at `at` and the job's amount. */
export function applicableQuotas(job: Job, quotas: readonly Quota[], at: Date): AppliedQuota[] {
  const amounts = jobAmounts(job);
  const applied: AppliedQuota[] = [];
  for (const quota of quotas) {
    if (quota.orgId !== job.orgId) continue;
    const scope = scopeOf(quota, job);
    if (!scope) continue;
    const period = quota.metric === 'daily_jobs' ? 'day' : quota.period;
    const counter = usageCounter(quota.metric, scope, period ? { period, key: periodKey(period, at) } : undefined);
    applied.push({ quota, counter, amount: amounts[quota.metric] });
  }
  return applied;
}

/**
 * Everything an admission writes besides the job (docs/quotas.md): concurrency counters of the org, team and
 * user are always kept (they feed the live usage views), budget and daily counters wherever a quota reads
 * them; each counter carries the smallest `block` limit that applies to it, so one conditional update per
 * counter enforces every ceiling at once. `bypassGlobal` skips only the global concurrency limit.
 */
export function planAdmission(
  job: Job,
  quotas: readonly Quota[],
  limits: ConcurrencyLimits,
  at: Date,
  bypassGlobal = false,
): AdmissionPlan {
  const amounts = jobAmounts(job);
  const byCounter = new Map<string, { effect: CounterEffect; hold: Hold }>();
  const add = (counter: string, amount: number, hold: Omit<Hold, 'counter' | 'amount'>, limit?: number, expiresAt?: number) => {
    const existing = byCounter.get(counter);
    if (existing) {
      if (limit !== undefined) existing.effect.limit = Math.min(existing.effect.limit ?? Infinity, limit);
      return;
    }
    byCounter.set(counter, {
      effect: { counter, amount, ...(limit !== undefined ? { limit } : {}), ...(expiresAt ? { expiresAt } : {}) },
      hold: { counter, amount, ...hold },
    });
  };

  add(GLOBAL_CONCURRENCY, 1, { kind: 'concurrency' }, bypassGlobal ? undefined : limits.maxConcurrent);
  for (const scope of jobScopes(job)) {
    if (scope.type === 'backend') continue;
    add(usageCounter('concurrent_jobs', scope), 1, { kind: 'concurrency' }, scope.type === 'user' ? limits.userMaxConcurrent : undefined);
    if (amounts.concurrent_gpus > 0) add(usageCounter('concurrent_gpus', scope), amounts.concurrent_gpus, { kind: 'concurrency' });
  }

  const applied = applicableQuotas(job, quotas, at);
  for (const { quota, counter, amount } of applied) {
    const limit = quota.action === 'block' ? quota.limit : undefined;
    if (quota.metric === 'concurrent_jobs' || quota.metric === 'concurrent_gpus') {
      add(counter, amount, { kind: 'concurrency' }, limit);
    } else if (quota.metric === 'daily_jobs') {
      add(counter, amount, { kind: 'count' }, limit, expiry(periodEnd('day', at)));
    } else {
      const perHour = quota.metric === 'gpu_hours' ? job.gpuCount : job.estimatedCostUsd / hours(job.spec.maxRuntimeMinutes);
      add(counter, amount, { kind: 'budget', perHour }, limit, expiry(periodEnd(quota.period ?? 'month', at)));
    }
  }
  // An increment of zero can never exceed anything: drop it (CPU-only jobs hold no GPUs).
  const entries = [...byCounter.values()].filter(({ effect }) => effect.amount > 0);
  return { effects: entries.map((e) => e.effect), holds: entries.map((e) => e.hold), applied };
}

/** Period counters outlive their period by a week, so views of "last period" still read them. */
const expiry = (end: Date): number => Math.floor(end.getTime() / 1000) + 7 * 86_400;

/**
 * The effects that end a job's holds: concurrency is given back, budgets settle to what the run actually
 * used (never more than was reserved is released, never less than zero is charged), counts stay.
 */
export function settlementEffects(job: Job, actualHours: number): CounterEffect[] {
  const effects: CounterEffect[] = [];
  for (const hold of job.holds) {
    if (hold.kind === 'concurrency') effects.push({ counter: hold.counter, amount: -hold.amount });
    if (hold.kind === 'budget') {
      const actual = Math.max(0, (hold.perHour ?? 0) * actualHours);
      const delta = round(actual - hold.amount);
      if (delta !== 0) effects.push({ counter: hold.counter, amount: delta });
    }
  }
  return effects;
}

const round = roundAmount;

/** Blocking quotas a job could never fit, however empty the counters: refused at submission. */
export function neverFits(applied: readonly AppliedQuota[]): AppliedQuota | undefined {
  return applied.find(({ quota, amount }) => quota.action === 'block' && amount > quota.limit);
}
