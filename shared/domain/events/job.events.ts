import type { Job } from '#domain/jobs/job.schema';
import type { DomainEvent } from './event-envelope';

/** Job event types (DESIGN §4.9). CDK rule patterns and the local bus are built from this list. */
export const JOB_EVENT_TYPES = ['job.submitted', 'job.started', 'job.completed', 'job.failed', 'job.cancelled'] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Events after which the scheduler should look again: something was queued or capacity was freed. */
export const SCHEDULER_TRIGGER_EVENT_TYPES: readonly JobEventType[] = ['job.submitted', 'job.completed', 'job.failed', 'job.cancelled'];

/** Builds a job event. The data carries ids and states only: never env values or other spec content. */
export function jobEvent(type: JobEventType, job: Job, id: string, time: string): DomainEvent {
  return {
    id,
    type,
    time,
    orgId: job.orgId,
    subject: `job/${job.id}`,
    version: 1,
    data: {
      jobId: job.id,
      name: job.spec.name,
      ownerId: job.ownerId,
      ...(job.teamId ? { teamId: job.teamId } : {}),
      state: job.state,
      backend: job.backend,
      hardwareType: job.spec.hardwareType,
      ...(job.exitCode !== undefined ? { exitCode: job.exitCode } : {}),
      ...(job.stateReason ? { reason: job.stateReason } : {}),
    },
  };
}

/** The event a job's new terminal/started state announces, if any. */
export function eventTypeForState(state: Job['state']): JobEventType | undefined {
  switch (state) {
    case 'running':
      return 'job.started';
    case 'succeeded':
      return 'job.completed';
    case 'failed':
    case 'timed_out':
      return 'job.failed';
    case 'cancelled':
      return 'job.cancelled';
    default:
      return undefined;
  }
}
