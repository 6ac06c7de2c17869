import * as z from 'zod/mini';
import { backendKindSchema, jobStateSchema } from '#domain/jobs/job-state.schema';
import type { Job } from '#domain/jobs/job.schema';
import { envelope, type DomainEvent } from '#domain/events/event-envelope';

/** Job event types (docs/events.md). CDK rule patterns and the local bus are built from this list. */
export const JOB_EVENT_TYPES = ['job.submitted', 'job.started', 'job.completed', 'job.failed', 'job.cancelled'] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Events after which the scheduler should look again: something was queued or capacity was freed. */
export const SCHEDULER_TRIGGER_EVENT_TYPES: readonly JobEventType[] = ['job.submitted', 'job.completed', 'job.failed', 'job.cancelled'];

/** The data of every job event: ids and states only, never env values or other spec content. */
export const jobEventDataSchema = z.object({
  jobId: z.string().check(z.describe('The job')),
  name: z.string().check(z.describe("The job's name (from its spec)")),
  ownerId: z.string().check(z.describe('User who submitted the job')),
  teamId: z.optional(z.string().check(z.describe('Team charged for the job'))),
  state: jobStateSchema.check(z.describe('State the job is in after the change')),
  backend: backendKindSchema.check(z.describe('Backend the job runs on')),
  hardwareType: z.string().check(z.describe('Hardware type requested')),
  exitCode: z.optional(z.number().check(z.int(), z.describe('Exit code of the run, when it ended with one'))),
  reason: z.optional(z.string().check(z.describe('Why the job is in this state (failure, cancellation, timeout)'))),
});
export type JobEventData = z.infer<typeof jobEventDataSchema>;

export const JOB_EVENT_DESCRIPTIONS: Record<JobEventType, string> = {
  'job.submitted': 'A job was accepted: it is queued or waits for approval.',
  'job.started': 'A job began running on its backend.',
  'job.completed': 'A job ended successfully.',
  'job.failed': 'A job ended with an error, or was stopped at its max runtime (`state` = `timed_out`).',
  'job.cancelled': 'A job was cancelled by its owner or an admin.',
};

/** Builds a job event from the job as committed. */
export function jobEvent(type: JobEventType, job: Job, id: string, time: string): DomainEvent {
  return envelope(
    type,
    jobEventDataSchema,
    { id, time, orgId: job.orgId, subject: `job/${job.id}` },
    {
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
  );
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
