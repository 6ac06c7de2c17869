import type { ApprovalRequest } from '#domain/approvals/approval-request.schema';
import type { DomainEvent } from './event-envelope';

/** Approval event types (DESIGN §4.9, plus `approval.escalated`). CDK rule patterns and the local bus read this list. */
export const APPROVAL_EVENT_TYPES = [
  'approval.required',
  'approval.escalated',
  'approval.granted',
  'approval.rejected',
  'approval.expired',
] as const;
export type ApprovalEventType = (typeof APPROVAL_EVENT_TYPES)[number];

/**
 * Builds an approval event. The data names the request, its job and rule and who is asked: never the task
 * token and never an email link (both are bearer credentials); the notifier mints links itself.
 */
export function approvalEvent(type: ApprovalEventType, request: ApprovalRequest, id: string, time: string): DomainEvent {
  return {
    id,
    type,
    time,
    orgId: request.orgId,
    subject: `approval/${request.id}`,
    version: 1,
    data: {
      approvalId: request.id,
      jobId: request.jobId,
      jobName: request.jobName,
      requesterId: request.requesterId,
      ...(request.teamId ? { teamId: request.teamId } : {}),
      ruleId: request.ruleId,
      ruleName: request.ruleName,
      reason: request.reason,
      costUsd: request.costUsd,
      approverLevel: type === 'approval.escalated' ? request.escalationLevel : request.requiredLevel,
      escalateAt: request.escalateAt,
      expireAt: request.expireAt,
      state: request.state,
      ...(request.decision ? { decidedBy: request.decision.by, comment: request.decision.comment, via: request.decision.via } : {}),
    },
  };
}
