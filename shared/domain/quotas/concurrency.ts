/** Concurrency limits of docs/quotas.md that apply to admitted + running jobs. */
export interface ConcurrencyLimits {
  /** Global limit (`max_concurrent`), skipped by holders of `job.bypass.queue`. */
  maxConcurrent: number;
  /** Per-user limit (`user_max_concurrent`). */
  userMaxConcurrent: number;
}

export { GLOBAL_CONCURRENCY, userConcurrency } from '#domain/quotas/counters';
