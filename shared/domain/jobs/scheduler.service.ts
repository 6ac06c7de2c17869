import { GLOBAL_CONCURRENCY, QUEUE_DEPTH } from '#domain/quotas/counters';
import { prepareAdmission, publishQuotaSignals, waitingFor, type AdmissionDeps } from './admission.service';
import type { DispatchQueue } from './dispatch-message.schema';
import { endJob } from './job-ending';
import { transition } from './job-lifecycle';
import type { Job, WaitingReason } from './job.schema';

export interface SchedulerDeps extends AdmissionDeps {
  dispatch: DispatchQueue;
  retentionDays: number;
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
 * One scheduler pass (DESIGN §4.8): admits queued jobs in order (priority class, then submission time),
 * each admission one transaction with all its counters and their ceilings; tells every job left waiting
 * why (global limit, the user's limit, or the quota by name); re-sends lost dispatches; stops jobs past
 * their max runtime. Safe to run concurrently with itself and with submissions (every write is
 * conditional), though deployments run one pass at a time.
 */
export async function runSchedulerPass(deps: SchedulerDeps): Promise<SchedulerPassResult> {
  const result: SchedulerPassResult = { admitted: [], waiting: 0, redispatched: [], timedOut: [] };
  const queued = await deps.jobs.listByState('queued', { limit: deps.maxJobsPerPass ?? 200 });
  let globalFull = false;
  let position = 0;

  for (const job of queued.items) {
    const now = deps.clock.now();
    const prepared = await prepareAdmission(job, deps, now);
    if (globalFull && !job.bypassQueue) {
      position += 1;
      await explain(job, waitingFor(GLOBAL_CONCURRENCY, job, prepared, position), deps);
      continue;
    }
    const at = now.toISOString();
    const admitted = transition(job, 'admitted', at, {
      holds: prepared.plan.holds,
      ...(prepared.warnings.length > 0 ? { quotaWarnings: prepared.warnings } : {}),
    });
    const outcome = await deps.jobs.save(admitted, 'queued', [...prepared.plan.effects, { counter: QUEUE_DEPTH, amount: -1 }]);
    if (outcome.ok) {
      result.admitted.push(job.id);
      await deps.dispatch.send({ action: 'launch', jobId: job.id });
      await publishQuotaSignals(prepared, outcome.job, deps, at);
      continue;
    }
    if (outcome.reason === 'state') continue; // cancelled meanwhile
    position += 1;
    if (outcome.reason === 'conflict') continue; // contention: next pass
    if (outcome.counter === GLOBAL_CONCURRENCY) globalFull = true;
    await explain(job, waitingFor(outcome.counter, job, prepared, position), deps);
  }
  result.waiting = position;
  result.redispatched = await redispatchStale(deps);
  result.timedOut = await stopOverdue(deps);
  return result;
}

/** Records why a job waits, writing only when the reason changed (no write churn every minute). */
async function explain(job: Job, waiting: WaitingReason, deps: SchedulerDeps): Promise<void> {
  if (job.waiting?.code === waiting.code && job.waiting.position === waiting.position && job.waiting.message === waiting.message) return;
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
