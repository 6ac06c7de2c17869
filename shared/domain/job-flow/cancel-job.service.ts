import type { ApprovalRepository } from '#domain/approvals/approvals.port';
import { settleRequest } from '#domain/approvals/approval-settlement';
import { hasPermission, reaches } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden } from '#domain/errors/app-error';
import { endJob, type JobEndingDeps, type StopRun } from './job-ending';
import { getVisibleJob } from '#domain/jobs/job-queries.service';
import { ACTIVE_STATES, isTerminal, type Job } from '#domain/jobs/job.schema';

/** Whether `principal` may cancel `job` (already known to be visible to them). */
function canCancel(principal: Principal, job: Job): boolean {
  if (job.ownerId === principal.userId) return hasPermission(principal, 'job.cancel.own');
  if (principal.platformAdmin) return true;
  return reaches(principal, 'job.cancel.all', { orgId: job.orgId, teamIds: [job.teamId] });
}

/**
 * Cancels a job that has not ended. The state change (and counter release, for an active job), its
 * `job.cancelled` event and, for an active job, the stop request to the dispatcher (whose stop is idempotent)
 * are one conditional transaction. A race with the job's own end is resolved by the condition: whichever write
 * lands first wins, and the loser records nothing.
 */
export interface CancelJobDeps extends JobEndingDeps {
  /** Approval requests: cancelling a job that waits for approval closes its request (and so ends its flow). */
  approvals?: ApprovalRepository;
}

function stopIfActive(job: Job): StopRun | undefined {
  return ACTIVE_STATES.has(job.state) ? { reason: 'Cancelled by user' } : undefined;
}

export async function cancelJob(principal: Principal, id: string, deps: CancelJobDeps): Promise<Job> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const job = await getVisibleJob(principal, id, deps.jobs);
    if (!canCancel(principal, job)) throw forbidden('You may not cancel this job');
    if (isTerminal(job.state)) {
      throw new AppError('invalid_state', `The job has already ended (${job.state})`, { state: job.state });
    }
    const ended =
      job.state === 'pending_approval' && job.approval && deps.approvals
        ? await cancelHeldJob(job, principal, { ...deps, approvals: deps.approvals })
        : // An active job's stop request commits with its cancellation (the outbox).
          await endJob(job, 'cancelled', { stateReason: `Cancelled by ${principal.userId}` }, deps, stopIfActive(job));
    if (!ended) continue; // the job moved meanwhile: look again
    return ended;
  }
  throw new AppError('conflict', 'The job is changing state too quickly; try again');
}

/**
 * A job held for approval is cancelled together with its request (one transaction), so a decision on it
 * afterwards is a 409; the request's flow is then ended through the approval bridge (a `resume` flow signal).
 */
async function cancelHeldJob(
  job: Job,
  principal: Principal,
  deps: CancelJobDeps & Required<Pick<CancelJobDeps, 'approvals'>>,
): Promise<Job | undefined> {
  const request = job.approval ? await deps.approvals.get(job.orgId, job.approval.id) : undefined;
  if (!request) return endJob(job, 'cancelled', { stateReason: `Cancelled by ${principal.userId}` }, deps);
  if (request.state !== 'pending') return undefined;
  const settled = await settleRequest(request, { state: 'cancelled', by: principal.userId }, deps);
  return settled?.job;
}
