import type { CounterEffect } from './job-repository.port';
import type { Job } from './job.schema';

/** Concurrency limits of DESIGN §4.6 that apply to admitted + running jobs. */
export interface ConcurrencyLimits {
  maxConcurrent: number;
  userMaxConcurrent: number;
}

export interface LimitsSource {
  current(): Promise<ConcurrencyLimits>;
}

export const GLOBAL_CONCURRENCY = 'concurrency:global';
export const userConcurrency = (userId: string): string => `concurrency:user:${userId}`;

/**
 * The counters a job takes at admission. `bypassGlobal` (job.bypass.queue) skips the global limit, never
 * the per-user one.
 */
export function admissionEffects(job: Job, limits: ConcurrencyLimits, bypassGlobal: boolean): CounterEffect[] {
  const effects: CounterEffect[] = [{ counter: userConcurrency(job.ownerId), amount: 1, limit: limits.userMaxConcurrent }];
  effects.unshift(
    bypassGlobal
      ? { counter: GLOBAL_CONCURRENCY, amount: 1 }
      : { counter: GLOBAL_CONCURRENCY, amount: 1, limit: limits.maxConcurrent },
  );
  return effects;
}

/** The effects that give back exactly what the job holds. */
export const releaseEffects = (job: Job): CounterEffect[] =>
  job.holds.map((hold) => ({ counter: hold.counter, amount: -hold.amount }));
