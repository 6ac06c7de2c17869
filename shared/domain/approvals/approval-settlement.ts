import type { EventPublisher } from '#domain/events/events.port';
import { approvalEvent } from '#domain/approvals/approval.events';
import { jobEvent } from '#domain/jobs/job.events';
import { transition } from '#domain/jobs/job-lifecycle';
import type { JobRepository } from '#domain/jobs/jobs.port';
import type { Job } from '#domain/jobs/job.schema';
import { queueDepth } from '#domain/quotas/counters';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { approvalFlowSignal } from './approval-flow-signal';
import type { ApprovalRepository } from './approvals.port';
import type { ApprovalRequest, Decision } from '#domain/jobs/approval-request.schema';

export interface SettlementDeps {
  approvals: ApprovalRepository;
  jobs: Pick<JobRepository, 'get'>;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  /** Days an ended job (and its closed request) is kept; 0 = forever. */
  retentionDays: number;
}

/** How a request ends, and what its job becomes. */
export type Ending = { state: 'approved' | 'rejected'; decision: Decision } | { state: 'expired' } | { state: 'cancelled'; by: string };

const JOB_STATE = { approved: 'queued', rejected: 'rejected', expired: 'expired', cancelled: 'cancelled' } as const;

function reasonOf(ending: Ending): string {
  switch (ending.state) {
    case 'approved':
      return `Approved by ${ending.decision.by}`;
    case 'rejected':
      return `Rejected by ${ending.decision.by}${ending.decision.comment ? `: ${ending.decision.comment}` : ''}`;
    case 'expired':
      return 'No approval decision before the expiry time';
    case 'cancelled':
      return `Cancelled by ${ending.by}`;
  }
}

/**
 * Ends a pending request and moves its job in one transaction (docs/approvals.md): approved → `queued` (counted in
 * the queue, the scheduler nudged by `approval.granted`), rejected/expired/cancelled → the job ends. A wait in
 * progress is not ended here (the request path holds no Step Functions client): the closed request keeps its
 * task token, and a `resume` flow signal asks the approval bridge to end that wait with it and then drop it
 * (a lost signal: the flow ends at its next timer, whose step finds the request closed). The expiry is a step
 * of the flow itself, after its wait timed out: that token is dropped at once. Returns undefined when the
 * request or the job had already moved: the other writer's outcome stands.
 */
export async function settleRequest(
  request: ApprovalRequest,
  ending: Ending,
  deps: SettlementDeps,
): Promise<{ request: ApprovalRequest; job: Job } | undefined> {
  let current: ApprovalRequest | undefined = request;
  // A wait that stores its token between our read and our write changes the version: read again, so the
  // token we end the wait with is the one stored (a few rounds at most: a flow stores one token per wait).
  for (let attempt = 0; attempt < 4 && current?.state === 'pending'; attempt += 1) {
    const outcome = await settleOnce(current, ending, deps);
    if (outcome !== 'retry') return outcome;
    current = await deps.approvals.get(request.orgId, request.id);
  }
  return undefined;
}

async function settleOnce(
  request: ApprovalRequest,
  ending: Ending,
  deps: SettlementDeps,
): Promise<{ request: ApprovalRequest; job: Job } | undefined | 'retry'> {
  const job = await deps.jobs.get(request.jobId);
  if (!job || job.orgId !== request.orgId || job.state !== 'pending_approval') return undefined;
  const at = deps.clock.now().toISOString();
  const retention = deps.retentionDays > 0 ? { expiresAt: Math.floor(Date.parse(at) / 1000) + deps.retentionDays * 86_400 } : {};
  const to = JOB_STATE[ending.state];
  const movedJob = transition(job, to, at, { stateReason: reasonOf(ending), ...(to === 'queued' ? {} : retention) });
  // The token of a wait that can still be ended stays until the bridge has ended it; the expiry's is stale.
  const { taskToken, ...rest } = request;
  const resumable = taskToken !== undefined && ending.state !== 'expired';
  const closed: ApprovalRequest = {
    ...rest,
    ...(resumable ? { taskToken } : {}),
    state: ending.state,
    closedAt: at,
    ...('decision' in ending ? { decision: ending.decision } : {}),
    ...retention,
    version: request.version + 1,
  };
  const effects = to === 'queued' ? [{ counter: queueDepth(movedJob.orgId), amount: 1 }] : [];
  // The ending's event commits with it (the outbox): a decision that lost the race announces nothing.
  const events = [];
  if (ending.state === 'approved') events.push(approvalEvent('approval.granted', closed, deps.ids.next(), at));
  if (ending.state === 'rejected') events.push(approvalEvent('approval.rejected', closed, deps.ids.next(), at));
  if (ending.state === 'expired') events.push(approvalEvent('approval.expired', closed, deps.ids.next(), at));
  if (ending.state === 'cancelled') events.push(jobEvent('job.cancelled', movedJob, deps.ids.next(), at));
  if (resumable) events.push(approvalFlowSignal('resume', closed, deps.ids.next(), at));
  const outcome = await deps.approvals.settle(closed, movedJob, effects, events);
  if (outcome !== 'ok') return 'retry';
  return { request: closed, job: movedJob };
}
