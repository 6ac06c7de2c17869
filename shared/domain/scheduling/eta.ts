import type { PreparedAdmission } from '#domain/jobs/admission.service';
import { ACTIVE_STATES, type Job } from '#domain/jobs/job.schema';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import { limitOf } from '#domain/quotas/global-shards';
import { periodEnd } from '#domain/quotas/period';
import { describeQuota } from '#domain/quotas/quota.schema';

/**
 * Estimated start times of waiting jobs (an estimate, never a promise: the basis says what it rests on).
 * For a concurrency limit the room frees as the jobs holding it end; each is assumed to run to its max
 * runtime (so the estimate errs late: most jobs end sooner). Waiting jobs take the room in their order on
 * that limit (the scheduler lets no job overtake another on the same limit) and, once started, are assumed
 * to run to their own max runtime. For a budget the room comes back when the period resets.
 */
export interface Estimate {
  at: string;
  basis: string;
}

/** A job waiting on one limit, in order: what it needs of the limit and how long it may run. */
export interface WaitingOnLimit {
  job: Job;
  prepared: PreparedAdmission;
}

const runtimeMs = (job: Job): number => job.spec.maxRuntimeMinutes * 60_000;

/** When an active job is expected to end: its start (or now, when not started yet) plus its max runtime. */
export function expectedEnd(job: Job, now: number): number {
  const started = job.startedAt ? Date.parse(job.startedAt) : now;
  return Math.max(now, started + runtimeMs(job));
}

interface Release {
  end: number;
  amount: number;
}

/** Simulates the room of one concurrency limit: returns each waiting job's estimated start (ms). */
export function simulateLimit(
  limit: number,
  used: number,
  holders: readonly Release[],
  waiting: readonly { id: string; amount: number; runtimeMs: number }[],
  now: number,
): Map<string, number> {
  const releases = [...holders].sort((a, b) => a.end - b.end);
  const starts = new Map<string, number>();
  let inUse = used;
  let clock = now;
  for (const next of waiting) {
    while (inUse + next.amount > limit && releases.length > 0) {
      const release = releases.shift()!;
      inUse -= release.amount;
      clock = Math.max(clock, release.end);
    }
    if (inUse + next.amount > limit) break; // never fits by ends alone (a drifted counter): no estimate
    starts.set(next.id, clock);
    inUse += next.amount;
    const end = clock + next.runtimeMs;
    const at = releases.findIndex((r) => r.end > end);
    releases.splice(at === -1 ? releases.length : at, 0, { end, amount: next.amount });
  }
  return starts;
}

/**
 * Estimates for every waiting job, grouped by the limit that holds it. `active` are the admitted, starting
 * and running jobs (their holds say which limits they occupy); `used` the current counter values.
 */
export function estimateStarts(
  byLimit: ReadonlyMap<string, WaitingOnLimit[]>,
  active: readonly Job[],
  used: Readonly<Record<string, number>>,
  now: Date,
): Map<string, Estimate> {
  const estimates = new Map<string, Estimate>();
  for (const [counter, waiting] of byLimit) {
    const first = waiting[0]!;
    const effect = first.prepared.plan.effects.find((e) => e.counter === counter);
    const hold = first.prepared.plan.holds.find((h) => h.counter === counter);
    const quota = first.prepared.plan.applied.find((a) => a.counter === counter && a.quota.action === 'block')?.quota;
    const name = quota ? describeQuota(quota) : counter === GLOBAL_CONCURRENCY ? 'the global max_concurrent' : 'your user_max_concurrent';
    if (!effect?.limit || !hold) continue;
    if (hold.kind !== 'concurrency') {
      // Budgets and daily counts come back when their period resets.
      const period = quota?.metric === 'daily_jobs' ? 'day' : (quota?.period ?? 'month');
      const at = periodEnd(period, now).toISOString();
      for (const { job } of waiting) estimates.set(job.id, { at, basis: `${name} resets at ${at} (${period} period)` });
      continue;
    }
    const holders = active.flatMap((job) =>
      ACTIVE_STATES.has(job.state)
        ? job.holds.filter((h) => limitOf(h.counter) === counter).map((h) => ({ end: expectedEnd(job, now.getTime()), amount: h.amount }))
        : [],
    );
    const queue = waiting.map(({ job, prepared }) => ({
      id: job.id,
      amount: prepared.plan.effects.find((e) => e.counter === counter)?.amount ?? 1,
      runtimeMs: runtimeMs(job),
    }));
    const starts = simulateLimit(effect.limit, used[counter] ?? 0, holders, queue, now.getTime());
    waiting.forEach(({ job }, index) => {
      const start = starts.get(job.id);
      if (start === undefined) return;
      const at = new Date(Math.ceil(start / 60_000) * 60_000).toISOString(); // to the minute: no write churn
      estimates.set(job.id, {
        at,
        basis: `max runtime of the ${holders.length} active jobs holding ${name}, and of the ${index} waiting ahead on it`,
      });
    });
  }
  return estimates;
}
