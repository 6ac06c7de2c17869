import type { QuotaMetric, QuotaPeriod, QuotaScopeType } from './quota.schema';

/**
 * Domain counter ids. A counter bounds one scope instance's usage of one metric (in one period): every
 * quota on the same scope, metric and period shares it, so a `warn` at 80 and a `block` at 100 read the
 * same number. Keys are built from these ids by the DynamoDB adapter.
 */
export type ScopeRef = { type: Exclude<QuotaScopeType, 'level'>; id: string };

export const GLOBAL_CONCURRENCY = 'concurrency:global';

/**
 * How many jobs wait in `queued`: +1 by the write that queues a job, −1 by the write that takes it out
 * (admission or cancellation). Admission at submission carries the condition "depth is 0", so a new job
 * never overtakes waiting ones, without a separate read of the queue on the submit path.
 */
export const QUEUE_DEPTH = 'queue:depth';

export function usageCounter(metric: QuotaMetric, scope: ScopeRef, period?: { period: QuotaPeriod; key: string }): string {
  const when = period ? `${period.period}:${period.key}:` : '';
  return `${metric}:${when}${scope.type}:${scope.id}`;
}

/** The per-user concurrency counter: the user's `concurrent_jobs`, also bounded by `user_max_concurrent`. */
export const userConcurrency = (userId: string): string => usageCounter('concurrent_jobs', { type: 'user', id: userId });

/** Daily usage record of a scope (settled GPU-hours, cost, jobs), for the usage API. */
export const dailyUsageCounter = (scope: ScopeRef, day: string): string => `usage-day:${scope.type}:${scope.id}:${day}`;

/** Backend scopes are per org: the same backend kind is a different budget in every org. */
export const backendScopeId = (orgId: string, backend: string): string => `${orgId}/${backend}`;
