import type { Principal } from '../authz/principal';
import { enforceResourceRules, type ResourceRuleSource } from '../authz/resource-rules';
import { AppError } from '../errors/app-error';
import { jobEvent } from '../events/job.events';
import { neverFits } from '../quotas/admission-plan';
import { describeQuota } from '../quotas/quota.schema';
import { prepareAdmission, publishQuotaSignals, waitingFor, type AdmissionDeps } from './admission.service';
import type { DispatchQueue } from './dispatch-message.schema';
import { draftJob, specFingerprint, type DraftDeps } from './job-draft';
import { transition } from './job-lifecycle';
import type { IdempotencyRecord } from './job-repository.port';
import type { Job, JobSpec } from './job.schema';

export { priorityClassFor, secretNamespace, specFingerprint } from './job-draft';

export interface SubmitJobDeps extends DraftDeps, AdmissionDeps {
  dispatch: DispatchQueue;
  /** Days a finished job is kept; 0 = forever. */
  retentionDays: number;
  /** The org's resource rules (templates, hardware, backends); without them nothing is restricted. */
  resourceRules?: ResourceRuleSource;
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
 * Submits a job (DESIGN §4.5, §4.6). When nobody is waiting, the job is admitted right here, in the one
 * transaction that creates it: job, idempotency record and every counter with its ceiling (warm path: a
 * key-only queue read plus that transaction). When the queue is not empty, or a limit is full, the job is
 * stored `queued` saying why, and the scheduler admits it in order. A job that could never fit a blocking
 * quota is refused with 422 and nothing is written.
 */
export async function submitJob(command: SubmitJobCommand, deps: SubmitJobDeps): Promise<SubmitResult> {
  const { job: draft } = await draftJob(command.principal, command.spec, deps, command.idempotencyKey);
  if (deps.resourceRules) {
    await enforceResourceRules(command.principal, { config: command.spec.template, hardware: draft.spec.hardwareType, provider: draft.backend }, deps.resourceRules);
  }
  const at = deps.clock.now();
  const [prepared, queueBusy] = await Promise.all([prepareAdmission(draft, deps, at), deps.jobs.hasQueued()]);
  const impossible = neverFits(prepared.plan.applied);
  if (impossible) {
    throw new AppError('unprocessable', `This job can never fit ${describeQuota(impossible.quota)}: it needs ${impossible.amount}`, {
      quotaId: impossible.quota.id,
      fields: [{ field: 'body.hardwareType', message: `needs ${impossible.amount} of ${impossible.quota.metric}, above the limit ${impossible.quota.limit}` }],
    });
  }
  const idempotency: IdempotencyRecord | undefined = command.idempotencyKey
    ? { key: command.idempotencyKey, fingerprint: specFingerprint(command.spec) }
    : undefined;
  const warnings = prepared.warnings;
  const withWarnings = (job: Job): Job => (warnings.length > 0 ? { ...job, quotaWarnings: warnings } : job);

  let queued = withWarnings(draft);
  if (!queueBusy || draft.bypassQueue) {
    const admitted = withWarnings(transition(draft, 'admitted', draft.createdAt, { holds: prepared.plan.holds }));
    const outcome = await deps.jobs.create(admitted, idempotency, prepared.plan.effects);
    if (outcome.ok) {
      if (outcome.created) {
        await afterCreate(outcome.job, deps, async () => {
          // A lost dispatch is not lost work: the scheduler re-sends it for admitted jobs that do not start.
          await deps.dispatch.send({ action: 'launch', jobId: outcome.job.id }).catch(() => undefined);
          await publishQuotaSignals(prepared, outcome.job, deps, draft.createdAt);
        });
      }
      return { job: outcome.job, created: outcome.created, warnings: outcome.created ? warnings : (outcome.job.quotaWarnings ?? []) };
    }
    if (outcome.reason === 'counter') queued = { ...queued, waiting: waitingFor(outcome.counter, draft, prepared) };
  }

  const outcome = await deps.jobs.create(queued, idempotency);
  if (!outcome.ok) throw new AppError('conflict', 'Could not store the job; try again');
  if (outcome.created) await afterCreate(outcome.job, deps);
  return { job: outcome.job, created: outcome.created, warnings: outcome.job.quotaWarnings ?? [] };
}

async function afterCreate(job: Job, deps: SubmitJobDeps, more?: () => Promise<void>): Promise<void> {
  await deps.events.publish([jobEvent('job.submitted', job, deps.ids.next(), job.createdAt)]);
  await more?.();
}
