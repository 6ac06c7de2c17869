import * as z from 'zod/mini';

/*
 * The job's state and backend enums on their own: event builders and the event catalog need only these, and
 * importing them from job.schema.ts would bundle every job, spec and cluster schema into each function that
 * reads events (the notifier, the relay; docs/budgets.md).
 */

/** Job states of docs/architecture.md#the-job-lifecycle-and-its-writes. Every transition is a conditional write on the previous state. */
export const JOB_STATES = [
  'submitted',
  'pending_approval',
  'queued',
  'admitted',
  'starting',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'rejected',
  'expired',
  'denied',
] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

export const backendKindSchema = z.enum(['ecs', 'kubernetes', 'local']);
export type BackendKind = z.infer<typeof backendKindSchema>;
