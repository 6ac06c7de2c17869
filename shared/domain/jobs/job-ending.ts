import type { EventPublisher } from '../events/event-envelope';
import { eventTypeForState, jobEvent } from '../events/job.events';
import type { Clock, IdSource } from '../runtime/runtime.port';
import { releaseEffects } from './concurrency';
import { transition } from './job-lifecycle';
import type { JobRepository } from './job-repository.port';
import { ACTIVE_STATES, type Job, type JobState } from './job.schema';

export interface JobEndingDeps {
  jobs: JobRepository;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  retentionDays: number;
}

/**
 * Moves a job to a terminal state and, if it was active, releases every counter it holds — in one
 * conditional transaction, so a duplicated end event can never release twice. Returns the ended job, or
 * undefined when another writer ended or moved it first (the caller's effect already happened).
 */
export async function endJob(
  job: Job,
  to: Extract<JobState, 'succeeded' | 'failed' | 'timed_out' | 'cancelled'>,
  patch: Partial<Job>,
  deps: JobEndingDeps,
): Promise<Job | undefined> {
  const at = deps.clock.now().toISOString();
  const ended = transition(job, to, at, { ...patch, holds: [] });
  if (deps.retentionDays > 0) ended.expiresAt = Math.floor(Date.parse(at) / 1000) + deps.retentionDays * 86_400;
  const effects = ACTIVE_STATES.has(job.state) ? releaseEffects(job) : [];
  const outcome = await deps.jobs.save(ended, job.state, effects);
  if (!outcome.ok) return undefined;
  const type = eventTypeForState(to);
  if (type) await deps.events.publish([jobEvent(type, outcome.job, deps.ids.next(), at)]);
  return outcome.job;
}
