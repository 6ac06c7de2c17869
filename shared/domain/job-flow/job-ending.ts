import { gpuHours, reservedHours, roundAmount } from '#domain/amounts';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { eventTypeForState, jobEvent } from '#domain/jobs/job.events';
import { settlementEffects } from '#domain/jobs/admission-plan';
import { type CounterEffect, dailyUsageCounter, queueDepth, type ScopeRef } from '#domain/quotas/counters';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { fairShareEffects } from '#domain/scheduling/fair-share';
import { runtimeHistoryEffects } from '#domain/scheduling/runtime-history';
import { dispatchRequest } from '#domain/jobs/dispatch-message.schema';
import { transition } from '#domain/jobs/job-lifecycle';
import type { JobRepository } from '#domain/jobs/jobs.port';
import { ACTIVE_STATES, type Job, type JobState } from '#domain/jobs/job.schema';

export interface JobEndingDeps {
  jobs: JobRepository;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  retentionDays: number;
}

/** Why the run of a job that this change ends must be stopped (and which run, when not its current one). */
export interface StopRun {
  reason: string;
  runRef?: string;
}

/**
 * The stop request of a run, recorded in the transaction that ends or requeues its job (the outbox): the
 * dispatcher is asked to stop exactly when the change commits, never for a change that lost its race.
 */
export function stopRequest(job: Job, stopRun: StopRun | undefined, deps: Pick<JobEndingDeps, 'ids'>, at: string): DomainEvent[] {
  if (!stopRun) return [];
  const message = { action: 'stop' as const, jobId: job.id, reason: stopRun.reason, ...(stopRun.runRef ? { runRef: stopRun.runRef } : {}) };
  return [dispatchRequest(message, deps.ids.next(), at)];
}

/** Hours the job actually ran (0 when it never started), from its start to `at`. */
export function hoursRun(job: Job, at: string): number {
  if (!job.startedAt) return 0;
  return Math.max(0, (Date.parse(at) - Date.parse(job.startedAt)) / 3_600_000);
}

/**
 * Moves a job to a terminal state and, if it was active, settles everything it holds — concurrency given
 * back, budgets settled to the actual runtime, the day's usage record of its org, team and user updated —
 * in one conditional transaction, with the job's event (its outbox item), so a duplicated end event can never
 * settle twice or announce the end twice; with `stopRun`, the run's stop request too. Returns the ended job,
 * or undefined when another writer ended or moved it first (the caller's effect already happened).
 */
export async function endJob(
  job: Job,
  to: Extract<JobState, 'succeeded' | 'failed' | 'timed_out' | 'cancelled'>,
  patch: Partial<Job>,
  deps: JobEndingDeps,
  stopRun?: StopRun,
): Promise<Job | undefined> {
  const at = deps.clock.now().toISOString();
  const ended = transition(job, to, at, { ...patch, holds: [] });
  if (deps.retentionDays > 0) ended.expiresAt = Math.floor(Date.parse(at) / 1000) + deps.retentionDays * 86_400;
  // A cancel says nothing about how long the work takes: only other ends feed the run history.
  const history = to === 'cancelled' ? [] : runtimeHistoryEffects(job, at);
  const effects = ACTIVE_STATES.has(job.state)
    ? [...settlementEffects(job, hoursRun(job, at)), ...usageEffects(job, at), ...history]
    : job.state === 'queued'
      ? [{ counter: queueDepth(job.orgId), amount: -1 }]
      : [];
  // The job's event commits with the transition (the outbox), so a lost race announces nothing.
  const type = eventTypeForState(to);
  const events = [...(type ? [jobEvent(type, ended, deps.ids.next(), at)] : []), ...stopRequest(job, stopRun, deps, at)];
  const outcome = await deps.jobs.save(ended, job.state, effects, events);
  if (!outcome.ok) return undefined;
  return outcome.job;
}

/**
 * The day's usage records (by the day the job ended, UTC) of the job's org, team and user, and the team's
 * and user's fair-share records (the scheduler's "recent GPU usage"). `countJob` false: GPU-hours and cost
 * only (a run that ends in a requeue is paid for, but the job is not done yet).
 */
export function usageEffects(job: Job, at: string, countJob = true): CounterEffect[] {
  const hours = hoursRun(job, at);
  const day = at.slice(0, 10);
  const costPerHour = job.estimatedCostUsd / reservedHours(job.spec.maxRuntimeMinutes);
  const orgId = job.orgId;
  const scopes: ScopeRef[] = [
    { type: 'org', orgId, id: orgId },
    { type: 'user', orgId, id: job.ownerId },
  ];
  if (job.teamId) scopes.push({ type: 'team', orgId, id: job.teamId });
  const usage = scopes.flatMap((scope) => {
    const counter = dailyUsageCounter(scope, day);
    return [
      ...(countJob ? [{ counter, field: 'jobs', amount: 1 }] : []),
      { counter, field: 'gpuHours', amount: roundAmount(gpuHours(job.gpuCount, hours)) },
      { counter, field: 'costUsd', amount: roundAmount(costPerHour * hours) },
    ];
  });
  return [...usage, ...fairShareEffects(job, gpuHours(job.gpuCount, hours), at)];
}
