import { invalidState } from '#domain/errors/app-error';
import { isTerminal, type Job, type JobState, type WaitingReason } from './job.schema';

/** Allowed transitions of docs/architecture.md#the-job-lifecycle-and-its-writes. Anything else is a bug or a lost race, never a silent write. */
const NEXT: Readonly<Record<JobState, readonly JobState[]>> = {
  submitted: ['pending_approval', 'queued', 'denied', 'cancelled'],
  pending_approval: ['queued', 'rejected', 'expired', 'cancelled'],
  queued: ['admitted', 'cancelled'],
  admitted: ['starting', 'failed', 'cancelled', 'queued'],
  // → queued: the run lost its Spot instance and the job goes back in line (once; see requeueJob).
  starting: ['running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'queued'],
  running: ['succeeded', 'failed', 'cancelled', 'timed_out', 'queued'],
  succeeded: [],
  failed: [],
  timed_out: [],
  cancelled: [],
  rejected: [],
  expired: [],
  denied: [],
};

export const canTransition = (from: JobState, to: JobState): boolean => NEXT[from].includes(to);

/** Default "why is it waiting" for states whose reason follows from the state itself. */
function waitingFor(state: JobState): WaitingReason | undefined {
  switch (state) {
    case 'queued':
      return { code: 'queue_position', message: 'Queued; the scheduler will place it shortly' };
    case 'admitted':
      return { code: 'dispatching', message: 'Admitted; being handed to the backend' };
    case 'starting':
      return { code: 'starting', message: 'Launched on the backend; waiting for the container to start' };
    case 'running':
      return { code: 'running', message: 'Running' };
    default:
      return undefined;
  }
}

/**
 * The job after moving to `to` at `at`: history gains the new state, the waiting reason follows the state
 * (terminal jobs have none), and the version increments. Pure: the repository persists it with a
 * condition on the previous state, so two writers can never both move the same job.
 */
export function transition(job: Job, to: JobState, at: string, patch: Partial<Job> = {}): Job {
  if (!canTransition(job.state, to)) {
    throw invalidState(`A ${job.state} job cannot become ${to}`, { from: job.state, to });
  }
  const next: Job = {
    ...job,
    ...patch,
    state: to,
    updatedAt: at,
    history: [...job.history, { state: to, at }],
    version: job.version + 1,
  };
  const waiting = patch.waiting ?? waitingFor(to);
  if (waiting && !isTerminal(to)) next.waiting = waiting;
  else delete next.waiting;
  if (isTerminal(to)) next.endedAt = at;
  return next;
}
