import type { PreparedAdmission } from '#domain/jobs/admission.service';
import { ACTIVE_STATES, type EstimateBasis, type Job } from '#domain/jobs/job.schema';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import { limitOf } from '#domain/quotas/global-shards';
import { periodEnd } from '#domain/quotas/period';
import { describeQuota } from '#domain/quotas/quota.schema';
import type { FairShareDays } from './fair-share';
import { runtimeHistoryRecord, typicalRuntimeShare } from './runtime-history';

/**
 * Estimated start times of waiting jobs (an estimate, never a promise: the basis says what it rests on).
 * For a concurrency limit the room frees as the jobs holding it end. Each is expected to run its typical
 * share of its max runtime when its user's recent runs of the same template say so (runtime-history.ts:
 * basis `history`), else to its max runtime (basis `max_runtime`, which errs late: most jobs end sooner).
 * Waiting jobs take the room in their order on that limit (the scheduler lets no job overtake another on
 * the same limit) and, once started, are expected to run the same way. For a budget the room comes back
 * when the period resets (basis `period_reset`).
 */
export interface Estimate {
  at: string;
  basis: EstimateBasis;
  detail: string;
}

/** A job waiting on one limit, in order: what it needs of the limit and how long it may run. */
export interface WaitingOnLimit {
  job: Job;
  prepared: PreparedAdmission;
}

/** How long jobs are expected to run: from run-history records (read by the caller) or their max runtime. */
export class ExpectedRuntimes {
  constructor(
    private readonly history: Readonly<Record<string, FairShareDays>>,
    private readonly now: Date,
  ) {}

  /** The run-history records to read for these jobs. */
  static records(jobs: readonly Job[]): string[] {
    return [...new Set(jobs.map(runtimeHistoryRecord))];
  }

  /** Expected run time (ms) and whether run history gave it. */
  of(job: Job): { ms: number; fromHistory: boolean } {
    const share = typicalRuntimeShare(this.history[runtimeHistoryRecord(job)], this.now);
    return { ms: job.spec.maxRuntimeMinutes * 60_000 * (share ?? 1), fromHistory: share !== undefined };
  }
}

/** When an active job is expected to end: its start (or now, when not started yet) plus its expected run time. */
export function expectedEnd(job: Job, now: number, runtime: number): number {
  const started = job.startedAt ? Date.parse(job.startedAt) : now;
  return Math.max(now, started + runtime);
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
  runtimes = new ExpectedRuntimes({}, now),
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
      const detail = `${name} resets at ${at} (${period} period)`;
      for (const { job } of waiting) estimates.set(job.id, { at, basis: 'period_reset', detail });
      continue;
    }
    const holders = active.flatMap((job) => {
      if (!ACTIVE_STATES.has(job.state)) return [];
      const runtime = runtimes.of(job);
      return job.holds
        .filter((h) => limitOf(h.counter) === counter)
        .map((h) => ({ end: expectedEnd(job, now.getTime(), runtime.ms), amount: h.amount, fromHistory: runtime.fromHistory }));
    });
    const queue = waiting.map(({ job, prepared }) => {
      const runtime = runtimes.of(job);
      return {
        id: job.id,
        amount: prepared.plan.effects.find((e) => e.counter === counter)?.amount ?? 1,
        runtimeMs: runtime.ms,
        fromHistory: runtime.fromHistory,
      };
    });
    const starts = simulateLimit(effect.limit, used[counter] ?? 0, holders, queue, now.getTime());
    const holdersFromHistory = holders.filter((h) => h.fromHistory).length;
    waiting.forEach(({ job }, index) => {
      const start = starts.get(job.id);
      if (start === undefined) return;
      const at = new Date(Math.ceil(start / 60_000) * 60_000).toISOString(); // to the minute: no write churn
      const aheadFromHistory = queue.slice(0, index).filter((q) => q.fromHistory).length;
      const known = holdersFromHistory + aheadFromHistory;
      const basis: EstimateBasis = known > 0 ? 'history' : 'max_runtime';
      estimates.set(job.id, {
        at,
        basis,
        detail:
          `expected ends of the ${holders.length} active jobs holding ${name} and of the ${index} waiting ahead on it` +
          (known > 0 ? `: ${known} from their recent runs, ${holders.length + index - known} from max runtime` : ': max runtime of each'),
      });
    });
  }
  return estimates;
}
