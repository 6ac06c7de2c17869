import { gpuHours, reservedHours, roundAmount } from '#domain/amounts';
import { approvalNeed, type ApprovalGateDeps } from '#domain/approvals/approval-gate';
import type { Principal } from '#domain/authz/principal';
import { AppError } from '#domain/errors/app-error';
import { neverFits } from '#domain/jobs/admission-plan';
import { GLOBAL_CONCURRENCY, queueDepth, userConcurrency } from '#domain/quotas/counters';
import { describeQuota } from '#domain/quotas/quota.schema';
import { prepareAdmission, type AdmissionReads } from '#domain/jobs/admission.service';
import { draftJob, type DraftDeps } from '#domain/jobs/job-draft';
import type { FleetDirectory } from '#domain/catalog/catalog.port';
import { explainPlacement, type ExplainedPlacement } from './explain-placement';
import type { JobSpec } from '#domain/jobs/job.schema';

export interface ExplainedLimit {
  counter: string;
  name: string;
  action: 'block' | 'warn' | 'notify';
  limit: number;
  used: number;
  /** Usage with this job admitted. */
  after: number;
  fits: boolean;
  quotaId?: string;
}

export interface Explanation {
  verdict: 'admit' | 'queue' | 'deny';
  reasons: string[];
  estimate?: { costUsd: number; gpuHours: number; hardwareType: string; pricePerHourUsd: number; gpuCount: number };
  limits: ExplainedLimit[];
  approval: ExplainedApproval;
  queue: { jobsWaiting: boolean };
  /** Which backend, and on ECS which fleet and purchase option, the job would use. */
  placement?: ExplainedPlacement;
}

export interface ExplainedApproval {
  required: boolean;
  /** The rule that would hold the job: its name and id, why it matches, and who could approve. */
  rule?: string;
  ruleId?: string;
  approverLevel?: string;
  approvers?: string;
  note: string;
}

/**
 * `POST /v1/jobs/explain`: the dry run of a submission (docs/architecture.md#the-job-lifecycle-and-its-writes/§4.6). Same checks as submit (it shares
 * `draftJob` and `prepareAdmission`), every limit that applies with its headroom, and the verdict — nothing
 * is written and no event is sent.
 */
/** Everything explain reads; it writes nothing and publishes nothing. */
export type ExplainDeps = DraftDeps & AdmissionReads & { approval?: Omit<ApprovalGateDeps, 'ids'>; fleets?: FleetDirectory };

export async function explainJob(principal: Principal, spec: JobSpec, deps: ExplainDeps): Promise<Explanation> {
  let approval: ExplainedApproval = { required: false, note: 'No approval rule applies' };
  let drafted: Awaited<ReturnType<typeof draftJob>>;
  try {
    drafted = await draftJob(principal, spec, deps);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'forbidden' || error.code === 'unprocessable' || error.code === 'validation_failed')) {
      return { verdict: 'deny', reasons: [error.message], limits: [], approval, queue: { jobsWaiting: false } };
    }
    throw error;
  }
  const { job, hardware, placement } = drafted;
  const at = deps.clock.now();
  const need = deps.approval ? await approvalNeed(principal, job, { ...deps.approval, ids: deps.ids }, at) : undefined;
  if (need) {
    approval = {
      required: true,
      rule: need.rule.name,
      ruleId: need.rule.id,
      approverLevel: need.rule.required_approver_level,
      approvers: need.approvers,
      note: `Rule "${need.rule.name}" would hold the job for approval: ${need.reason}`,
    };
  }
  const prepared = await prepareAdmission(job, deps, at);
  const depth = queueDepth(job.orgId);
  const used = await deps.jobs.readCounters([...prepared.plan.effects.map((e) => e.counter), depth]);
  const jobsWaiting = (used[depth] ?? 0) > 0;

  const limits: ExplainedLimit[] = [];
  for (const effect of prepared.plan.effects) {
    if (effect.limit === undefined) continue;
    const quota = prepared.plan.applied.find(
      (a) => a.counter === effect.counter && a.quota.action === 'block' && a.quota.limit === effect.limit,
    );
    const name = quota
      ? describeQuota(quota.quota)
      : effect.counter === GLOBAL_CONCURRENCY
        ? `max_concurrent ≤ ${effect.limit} (global)`
        : effect.counter === userConcurrency(job.orgId, job.ownerId)
          ? `user_max_concurrent ≤ ${effect.limit}`
          : effect.counter;
    const now = used[effect.counter] ?? 0;
    const after = roundAmount(now + effect.amount);
    limits.push({
      counter: effect.counter,
      name,
      action: 'block',
      limit: effect.limit,
      used: now,
      after,
      fits: after <= effect.limit,
      ...(quota ? { quotaId: quota.quota.id } : {}),
    });
  }
  for (const signal of prepared.signals) {
    const { quota } = signal.applied;
    const now = roundAmount(signal.usage - signal.applied.amount);
    limits.push({
      counter: signal.applied.counter,
      name: describeQuota(quota),
      action: quota.action,
      limit: quota.limit,
      used: now,
      after: signal.usage,
      fits: signal.usage <= quota.limit,
      quotaId: quota.id,
    });
  }

  const reasons: string[] = [];
  let verdict: Explanation['verdict'] = 'admit';
  const impossible = neverFits(prepared.plan.applied);
  if (impossible) {
    verdict = 'deny';
    reasons.push(`Can never fit ${describeQuota(impossible.quota)}: needs ${impossible.amount}`);
  } else {
    const full = limits.filter((l) => l.action === 'block' && !l.fits);
    if (full.length > 0) {
      verdict = 'queue';
      reasons.push(
        ...full.map(
          (l) => `Would wait: ${l.name} has ${roundAmount(l.limit - l.used)} left, the job needs ${roundAmount(l.after - l.used)}`,
        ),
      );
    } else if (need) {
      verdict = 'queue';
      reasons.push(`Would wait for approval under rule "${need.rule.name}" (${need.reason}), by ${need.approvers}`);
    } else if (jobsWaiting && !job.bypassQueue) {
      verdict = 'queue';
      reasons.push('Other jobs are waiting: it would be queued and admitted in order');
    } else {
      reasons.push('Every limit has room: it would be admitted at once');
    }
    reasons.push(...prepared.warnings);
  }
  if (placement) {
    const { cluster, namespace } = placement.placement;
    reasons.push(`Would run on cluster ${cluster}, namespace ${namespace}`, ...placement.passedOver.map((why) => `Passed over ${why}`));
  }
  return {
    verdict,
    reasons,
    estimate: {
      costUsd: job.estimatedCostUsd,
      gpuHours: roundAmount(gpuHours(job.gpuCount, reservedHours(job.spec.maxRuntimeMinutes))),
      hardwareType: hardware.id,
      pricePerHourUsd: hardware.pricePerHourUsd,
      gpuCount: hardware.gpuCount,
    },
    limits,
    approval,
    queue: { jobsWaiting },
    placement: {
      ...(await explainPlacement(job, hardware, deps.fleets)),
      ...(placement ? { ...placement.placement, passedOver: placement.passedOver } : {}),
    },
  };
}
