import type { EventPublisher } from '../events/event-envelope';
import type { Clock, IdSource } from '../runtime/runtime.port';
import { admissionEffects, GLOBAL_CONCURRENCY, type LimitsSource } from './concurrency';
import type { DispatchQueue } from './dispatch-message.schema';
import { endJob } from './job-ending';
import { transition } from './job-lifecycle';
import type { JobRepository } from './job-repository.port';
import type { Job, WaitingReason } from './job.schema';

export interface SchedulerDeps {
  jobs: JobRepository;
  limits: LimitsSource;
  dispatch: DispatchQueue;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  retentionDays: number;
  /** Whether the job's owner holds `job.bypass.queue` (skips the global limit, never the user's). */
  bypassesQueue?: (job: Job) => boolean;
  /** An admitted job not launched after this long gets its dispatch message again. */
  redispatchAfterMs?: number;
  /** Upper bound of queued jobs examined per pass (the rest wait for the next pass). */
  maxJobsPerPass?: number;
}

export interface SchedulerPassResult {
  admitted: string[];
  waiting: number;
  redispatched: string[];
  timedOut: string[];
}

/**
 * One scheduler pass (DESIGN §4.8): admits queued jobs in order (priority class, then submission time)
 * while the concurrency limits have room, each admission one transaction with its counters; tells every
 * job left waiting why; re-sends lost dispatches; stops jobs past their max runtime. Safe to run
 * concurrently with itself (every write is conditional), though deployments run one at a time.
 */
export async function runSchedulerPass(deps: SchedulerDeps): Promise<SchedulerPassResult> {
  const result: SchedulerPassResult = { admitted: [], waiting: 0, redispatched: [], timedOut: [] };
  const limits = await deps.limits.current();
  const queued = await deps.jobs.listByState('queued', { limit: deps.maxJobsPerPass ?? 200 });
  let globalFull = false;
  let position = 0;

  for (const job of queued.items) {
    const bypass = deps.bypassesQueue?.(job) ?? false;
    if (globalFull && !bypass) {
      position += 1;
      await explain(job, { code: 'global_concurrency', message: `Waiting for a free slot: ${limits.maxConcurrent} jobs already run (position ${position} in queue)`, position }, deps);
      continue;
    }
    const at = deps.clock.now().toISOString();
    const effects = admissionEffects(job, limits, bypass);
    const admitted = transition(job, 'admitted', at, { holds: effects.map(({ counter, amount }) => ({ counter, amount })) });
    const outcome = await deps.jobs.save(admitted, 'queued', effects);
    if (outcome.ok) {
      result.admitted.push(job.id);
      await deps.dispatch.send({ action: 'launch', jobId: job.id });
      continue;
    }
    if (outcome.reason === 'state') continue; // cancelled meanwhile
    position += 1;
    if (outcome.counter === GLOBAL_CONCURRENCY) {
      globalFull = true;
      await explain(job, { code: 'global_concurrency', message: `Waiting for a free slot: ${limits.maxConcurrent} jobs already run (position ${position} in queue)`, position }, deps);
    } else {
      await explain(job, { code: 'user_concurrency', message: `You already run ${limits.userMaxConcurrent} jobs, your limit; this one starts when one of them ends`, position }, deps);
    }
  }
  result.waiting = position;
  result.redispatched = await redispatchStale(deps);
  result.timedOut = await stopOverdue(deps);
  return result;
}

/** Records why a job waits, writing only when the reason changed (no write churn every minute). */
async function explain(job: Job, waiting: WaitingReason, deps: SchedulerDeps): Promise<void> {
  if (job.waiting?.code === waiting.code && job.waiting.position === waiting.position) return;
  await deps.jobs.setWaiting(job, 'queued', waiting);
}

/** At-least-once underneath: an admitted job whose dispatch message was lost is dispatched again. */
async function redispatchStale(deps: SchedulerDeps): Promise<string[]> {
  const cutoff = deps.clock.now().getTime() - (deps.redispatchAfterMs ?? 120_000);
  const admitted = await deps.jobs.listByState('admitted', { limit: 100 });
  const stale = admitted.items.filter((job) => Date.parse(job.updatedAt) < cutoff);
  for (const job of stale) await deps.dispatch.send({ action: 'launch', jobId: job.id });
  return stale.map((job) => job.id);
}

/** Running jobs past their max runtime end as `timed_out`; the dispatcher stops the run. */
async function stopOverdue(deps: SchedulerDeps): Promise<string[]> {
  const now = deps.clock.now().getTime();
  const running = await deps.jobs.listByState('running', { limit: 500 });
  const stopped: string[] = [];
  for (const job of running.items) {
    const startedAt = Date.parse(job.startedAt ?? job.updatedAt);
    if (now - startedAt <= job.spec.maxRuntimeMinutes * 60_000) continue;
    const ended = await endJob(job, 'timed_out', { stateReason: `Exceeded max runtime of ${job.spec.maxRuntimeMinutes} minutes` }, deps);
    if (!ended) continue;
    await deps.dispatch.send({ action: 'stop', jobId: job.id, reason: 'Max runtime exceeded' });
    stopped.push(job.id);
  }
  return stopped;
}
