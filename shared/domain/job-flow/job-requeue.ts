import { settlementEffects } from '#domain/jobs/admission-plan';
import { queueDepth } from '#domain/quotas/counters';
import { hoursRun, stopRequest, usageEffects, type JobEndingDeps, type StopRun } from './job-ending';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job } from '#domain/jobs/job.schema';

/** A job loses its instance to a Spot reclaim this many times and is queued again; the next loss fails it. */
export const MAX_SPOT_REQUEUES = 1;

export type RequeueOutcome = { requeued: Job } | { exhausted: true } | { lostRace: true };

/**
 * Puts a job whose run lost its Spot instance back in the queue instead of failing it (docs/scheduling.md). In one
 * conditional transaction: the run's holds are settled like an end (concurrency given back, budgets charged
 * the hours it ran, usage recorded), the job is `queued` again with the reason in `stateReason`, and the
 * queue depth grows by one. The scheduler re-admits it in order; on a `spot-with-on-demand-fallback` fleet
 * the next launch uses On-Demand (`purchaseForAttempt`). With `stopRun`, the run's stop request is recorded by
 * the same transaction. Once `MAX_SPOT_REQUEUES` is spent, the caller
 * fails the job instead.
 */
export async function requeueAfterInterruption(job: Job, reason: string, deps: JobEndingDeps, stopRun?: StopRun): Promise<RequeueOutcome> {
  const interruptions = job.spotInterruptions ?? 0;
  if (interruptions >= MAX_SPOT_REQUEUES) return { exhausted: true };
  const at = deps.clock.now().toISOString();
  const where = job.ecsPlacement
    ? ` on fleet "${job.ecsPlacement.fleet}" (${job.ecsPlacement.purchase === 'spot' ? 'Spot' : 'On-Demand'})`
    : '';
  const next = job.ecsPlacement?.purchase === 'spot' && job.ecsPlacement.onDemandFallback ? '; its next launch buys On-Demand' : '';
  const message = `Queued again (once)${where}: ${reason}${next}`;
  const requeued = transition(job, 'queued', at, {
    holds: [],
    spotInterruptions: interruptions + 1,
    stateReason: message,
    ...(job.runRef ? { interruptedRunRef: job.runRef } : {}),
    waiting: { code: 'queue_position', message },
  });
  for (const field of ['runRef', 'startedAt', 'exitCode', 'launchDeadline', 'quotaWarnings'] as const) delete requeued[field];
  const effects = [
    ...settlementEffects(job, hoursRun(job, at)),
    ...usageEffects(job, at, false),
    { counter: queueDepth(job.orgId), amount: 1 },
  ];
  const outcome = await deps.jobs.save(requeued, job.state, effects, stopRequest(job, stopRun, deps, at));
  return outcome.ok ? { requeued: outcome.job } : { lostRace: true };
}
