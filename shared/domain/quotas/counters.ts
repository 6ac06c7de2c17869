import * as z from 'zod/mini';
import type { QuotaMetric, QuotaPeriod, QuotaScopeType } from './quota.schema';

/**
 * Domain counter ids. A counter bounds one scope instance's usage of one metric (in one period): every
 * quota on the same scope, metric and period shares it, so a `warn` at 80 and a `block` at 100 read the
 * same number. Keys are built from these ids by the DynamoDB adapter.
 *
 * Team slugs are unique within their org only, so every scope names its org: a counter or usage record of
 * acme's team `vision` can never be the one of globex's `vision` (docs/quotas.md, "Keys name the org").
 */
export type ScopeRef = { type: Exclude<QuotaScopeType, 'level'>; orgId: string; id: string };

/** The org-qualified name of a scope instance: `ORG#<org>`, `ORG#<org>#TEAM#<team>`, `…#USER#…`, `…#BACKEND#…`. */
export function scopeKey(scope: ScopeRef): string {
  return scope.type === 'org' ? `ORG#${scope.orgId}` : `ORG#${scope.orgId}#${scope.type.toUpperCase()}#${scope.id}`;
}

export const GLOBAL_CONCURRENCY = 'concurrency:global';

/**
 * How many jobs of an org wait in `queued`: +1 by the write that queues a job, −1 by the write that takes it
 * out (admission or cancellation). Admission at submission carries the condition "the org's depth is 0", so
 * a new job never overtakes its org's waiting ones, without a separate read of the queue on the submit
 * path. Per org, so that one org's queue never sends another org's jobs to the queue, and no single item is
 * written by every submission of the deployment.
 */
export const queueDepth = (orgId: string): string => `queue:depth:ORG#${orgId}`;
export const isQueueDepth = (counter: string): boolean => counter.startsWith('queue:depth:');

/** `<metric>:[<period>:<period key>:]<scope key>`, e.g. `gpu_hours:month:2026-12:ORG#acme#TEAM#vision`. */
export function usageCounter(metric: QuotaMetric, scope: ScopeRef, period?: { period: QuotaPeriod; key: string }): string {
  const when = period ? `${period.period}:${period.key}:` : '';
  return `${metric}:${when}${scopeKey(scope)}`;
}

/** The per-user concurrency counter: the user's `concurrent_jobs`, also bounded by `user_max_concurrent`. */
export const userConcurrency = (orgId: string, userId: string): string =>
  usageCounter('concurrent_jobs', { type: 'user', orgId, id: userId });

/** Daily usage record of a scope (settled GPU-hours, cost, jobs), for the usage API: `usage-day:<scope key>:<day>`. */
export const dailyUsageCounter = (scope: ScopeRef, day: string): string => `usage-day:${scopeKey(scope)}:${day}`;

/** A change to a shared counter (concurrency, quotas) made in the same transaction as a job write. */
export interface CounterEffect {
  /** Domain counter id, e.g. `concurrency:global`, `concurrent_jobs:ORG#<org>#USER#<id>`. */
  counter: string;
  amount: number;
  /** Present on increments: the write fails unless the counter stays ≤ limit. */
  limit?: number;
  /** Attribute of the counter item to add to (default `value`, the one limits apply to). */
  field?: string;
  /** Epoch seconds after which the counter item may be deleted (period counters). */
  expiresAt?: number;
}

/**
 * A counter a job holds while active. `concurrency` holds are given back at the end; `budget` holds reserve
 * the estimate and settle to the actual use (`perHour` × hours run); `count` holds (daily job counts) stay.
 */
export const holdSchema = z.object({
  counter: z.string(),
  amount: z.number(),
  kind: z._default(z.enum(['concurrency', 'budget', 'count']), 'concurrency'),
  perHour: z.optional(z.number()),
});
export type Hold = z.infer<typeof holdSchema>;
