import { approvalNeed, holdForApproval, type ApprovalGateDeps } from '#domain/approvals/approval-gate';
import { approvalFlowSignal } from '#domain/approvals/approval-flow-signal';
import type { Principal } from '#domain/authz/principal';
import { AppError } from '#domain/errors/app-error';
import type { DomainEvent } from '#domain/events/event-envelope';
import { jobEvent } from '#domain/jobs/job.events';
import { neverFits } from '#domain/jobs/admission-plan';
import { isQueueDepth, queueDepth } from '#domain/quotas/counters';
import { describeQuota } from '#domain/quotas/quota.schema';
import type { QueueBusyHint } from '#domain/jobs/queue-hint';
import { prepareAdmission, admissionEvents, waitingFor, writeOnGlobalShard, type AdmissionDeps } from '#domain/jobs/admission.service';
import type { IdempotencyRecord } from '#domain/jobs/jobs.port';
import { draftJob, specFingerprint, type DraftDeps } from '#domain/jobs/job-draft';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job, JobSpec, WaitingReason } from '#domain/jobs/job.schema';
import type { SchedulingSettingsSource } from '#domain/scheduling/scheduling.port';

export { priorityClassFor, secretNamespace, specFingerprint } from '#domain/jobs/job-draft';

export interface SubmitJobDeps extends DraftDeps, AdmissionDeps {
  /** The org's scheduling settings: a paused org or backend queues new jobs instead of admitting them. */
  scheduling: SchedulingSettingsSource;
  /** Per-instance memory that the queue was busy a moment ago (optional: without it, always try first). */
  queueHint?: QueueBusyHint;
  /** Days a finished job is kept; 0 = forever. */
  retentionDays: number;
  /** Approval rules; without them no job waits for approval. */
  approval?: Omit<ApprovalGateDeps, 'ids'>;
}

export interface SubmitJobCommand {
  principal: Principal;
  spec: JobSpec;
  idempotencyKey?: string;
}

export interface SubmitResult {
  job: Job;
  created: boolean;
  /** `warn` quotas this job goes over: it runs anyway, and the caller is told. */
  warnings: string[];
}

/**
 * Submits a job (docs/architecture.md#the-job-lifecycle-and-its-writes, docs/quotas.md). When nobody is waiting, the job is admitted right here, in the one
 * transaction that creates it: job, idempotency record, every counter with its ceiling, and the condition
 * that the queue is empty (its depth counter is 0). When the queue is not empty, or a limit is full, the
 * job is stored `queued` saying why (one more transaction, which counts it in the queue depth), and the
 * scheduler admits it in order. A job that could never fit a blocking
 * quota is refused with 422 and nothing is written.
 */
export async function submitJob(command: SubmitJobCommand, deps: SubmitJobDeps): Promise<SubmitResult> {
  const { job: draft } = await draftJob(command.principal, command.spec, deps, command.idempotencyKey);
  const at = deps.clock.now();
  const [prepared, settings] = await Promise.all([prepareAdmission(draft, deps, at), deps.scheduling.forOrg(draft.orgId)]);
  const paused = settings.paused || settings.pausedBackends.includes(draft.backend);
  const impossible = neverFits(prepared.plan.applied);
  if (impossible) {
    throw new AppError('unprocessable', `This job can never fit ${describeQuota(impossible.quota)}: it needs ${impossible.amount}`, {
      quotaId: impossible.quota.id,
      fields: [
        {
          field: 'body.hardwareType',
          message: `needs ${impossible.amount} of ${impossible.quota.metric}, above the limit ${impossible.quota.limit}`,
        },
      ],
    });
  }
  const idempotency: IdempotencyRecord | undefined = command.idempotencyKey
    ? { key: command.idempotencyKey, fingerprint: specFingerprint(command.spec) }
    : undefined;
  if (deps.approval) {
    const need = await approvalNeed(command.principal, draft, { ...deps.approval, ids: deps.ids }, at);
    if (need) return holdSubmission(await holdForApproval(draft, need, { ...deps.approval, ids: deps.ids }, at), idempotency, deps);
  }
  const warnings = prepared.warnings;
  const withWarnings = (job: Job): Job => (warnings.length > 0 ? { ...job, quotaWarnings: warnings } : job);

  let queued = withWarnings(draft);
  if (paused) queued = { ...queued, waiting: pausedWaiting(draft, settings.paused) };
  else if (draft.bypassQueue || !deps.queueHint?.isBusy(draft.orgId, at)) {
    // Nobody may be waiting (queue depth 0), unless the caller skips the queue (job.bypass.queue).
    const emptyQueue = draft.bypassQueue ? [] : [{ counter: queueDepth(draft.orgId), amount: 0, limit: 0 }];
    const admittedWith = (holds: Job['holds']) => withWarnings(transition(draft, 'admitted', draft.createdAt, { holds }));
    // The job's events (submitted, its launch request and its admission's quota signals) commit with it; their
    // ids stay the same across the shard retries, whose failed transactions recorded nothing.
    const events = [submittedEvent(admittedWith([]), deps), ...admissionEvents(prepared, draft, deps.ids, draft.createdAt)];
    const outcome = await writeOnGlobalShard(draft, prepared, deps.jobs, ({ effects, holds }) =>
      deps.jobs.create(admittedWith(holds), idempotency, [...emptyQueue, ...effects], undefined, events),
    );
    if (outcome.ok) {
      deps.queueHint?.clear(draft.orgId);
      return { job: outcome.job, created: outcome.created, warnings: outcome.created ? warnings : (outcome.job.quotaWarnings ?? []) };
    }
    if (outcome.reason === 'counter') {
      if (isQueueDepth(outcome.counter)) deps.queueHint?.markBusy(draft.orgId, at);
      queued = { ...queued, waiting: waitingFor(outcome.counter, draft, prepared) };
    }
  }

  const outcome = await deps.jobs.create(queued, idempotency, [{ counter: queueDepth(draft.orgId), amount: 1 }], undefined, [
    submittedEvent(queued, deps),
  ]);
  if (!outcome.ok) throw new AppError('conflict', 'Could not store the job; try again');
  return { job: outcome.job, created: outcome.created, warnings: outcome.job.quotaWarnings ?? [] };
}

function pausedWaiting(job: Job, orgPaused: boolean): WaitingReason {
  const what = orgPaused ? 'your organization' : `the ${job.backend} backend`;
  return { code: 'queue_paused', message: `Admission is paused for ${what} by an administrator` };
}

/**
 * A job a rule holds: stored `pending_approval` with its approval request in one transaction; its approval flow
 * is asked for with a `start` flow signal beside `job.submitted`, which the approval bridge carries out. A flow
 * that never starts is not lost: pending requests without a running flow are re-driven from the table (see
 * docs/approvals.md).
 */
async function holdSubmission(
  held: Awaited<ReturnType<typeof holdForApproval>>,
  idempotency: IdempotencyRecord | undefined,
  deps: SubmitJobDeps,
): Promise<SubmitResult> {
  // The flow's start signal commits with the request it starts (the outbox), like `job.submitted`.
  const events = [submittedEvent(held.job, deps), approvalFlowSignal('start', held.request, deps.ids.next(), held.job.createdAt)];
  const outcome = await deps.jobs.create(held.job, idempotency, [], held.request, events);
  if (!outcome.ok) throw new AppError('conflict', 'Could not store the job; try again');
  return { job: outcome.job, created: outcome.created, warnings: [] };
}

/**
 * `job.submitted`, recorded in the outbox by the job's own creating transaction: a replayed Idempotency-Key (the
 * transaction is refused) or a refused admission announces nothing.
 */
function submittedEvent(job: Job, deps: Pick<SubmitJobDeps, 'ids'>): DomainEvent {
  return jobEvent('job.submitted', job, deps.ids.next(), job.createdAt);
}
