import type { LevelCatalog } from '#domain/authz/authz.port';
import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import type { Job } from '#domain/jobs/job.schema';
import type { IdSource } from '#domain/runtime/runtime.port';
import { describeApprovers, nextLevelUp, priorityOfLevel } from './approval-eligibility';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import type { ApprovalRule } from './approval-rule.schema';
import type { ApprovalRuleSource, RequesterFacts } from './approvals.port';
import { describeMatch, matchingRule, memoFacts, type ApprovalSubject } from './approval-rules';

/** What judging a submission against the approval rules reads. */
export interface ApprovalGateDeps {
  approvalRules: ApprovalRuleSource;
  /** Facts about the requester's earlier jobs, read only when a rule needs them. */
  requesterFacts: (orgId: string, ownerId: string, at: Date) => RequesterFacts;
  levels: LevelCatalog;
  ids: IdSource;
}

export interface ApprovalNeed {
  rule: ApprovalRule;
  reason: string;
  /** Who can approve, in words. */
  approvers: string;
}

export function approvalSubject(principal: Principal, job: Job): ApprovalSubject {
  return {
    level: principal.level,
    bypass: hasPermission(principal, 'job.bypass.approval'),
    costUsd: job.estimatedCostUsd,
    hardwareType: job.spec.hardwareType,
    template: job.spec.template,
    backend: job.backend,
  };
}

/** The rule that holds this drafted job for approval, if any (the explain endpoint and submission share it). */
export async function approvalNeed(principal: Principal, job: Job, deps: ApprovalGateDeps, at: Date): Promise<ApprovalNeed | undefined> {
  const rules = await deps.approvalRules.forOrg(principal.orgId);
  if (rules.length === 0) return undefined;
  const subject = approvalSubject(principal, job);
  const rule = await matchingRule(rules, subject, memoFacts(deps.requesterFacts(principal.orgId, principal.userId, at)));
  if (!rule) return undefined;
  return { rule, reason: describeMatch(rule, subject), approvers: describeApprovers(rule.required_approver_level, job.teamId) };
}

const addMinutes = (at: Date, minutes: number): string => new Date(at.getTime() + minutes * 60_000).toISOString();

/**
 * The job as it is stored when a rule holds it (`pending_approval`, saying by whom, under which rule, and
 * when it escalates and expires) and its approval request, both written in the submission's transaction.
 */
export async function holdForApproval(job: Job, need: ApprovalNeed, deps: Pick<ApprovalGateDeps, 'levels' | 'ids'>, at: Date) {
  const { rule } = need;
  const escalationLevel = nextLevelUp(await priorityOfLevel(job.orgId, rule.required_approver_level, deps.levels));
  const escalateAt = addMinutes(at, Math.min(rule.escalate_after_minutes, rule.expire_after_minutes - 1));
  const expireAt = addMinutes(at, rule.expire_after_minutes);
  const id = deps.ids.next();
  const approval = {
    id,
    ruleId: rule.id,
    ruleName: rule.name,
    reason: need.reason,
    requiredLevel: rule.required_approver_level,
    escalationLevel,
    escalateAt,
    expireAt,
  };
  const held: Job = {
    ...job,
    state: 'pending_approval',
    history: [
      { state: 'submitted', at: job.createdAt },
      { state: 'pending_approval', at: job.createdAt },
    ],
    waiting: {
      code: 'awaiting_approval',
      message: `Awaiting approval by ${need.approvers} under rule "${rule.name}" (${need.reason}); escalates to ${escalationLevel} at ${escalateAt}, expires at ${expireAt}`,
    },
    approval,
  };
  const request: ApprovalRequest = {
    schemaVersion: 1,
    id,
    orgId: job.orgId,
    jobId: job.id,
    jobName: job.spec.name,
    requesterId: job.ownerId,
    requesterLevel: job.ownerLevel ?? 'researcher',
    ...(job.teamId ? { teamId: job.teamId } : {}),
    costUsd: job.estimatedCostUsd,
    hardwareType: job.spec.hardwareType,
    ruleId: rule.id,
    ruleName: rule.name,
    reason: need.reason,
    requiredLevel: rule.required_approver_level,
    escalationLevel,
    state: 'pending',
    createdAt: job.createdAt,
    escalateAt,
    expireAt,
    version: 1,
  };
  return { job: held, request };
}
