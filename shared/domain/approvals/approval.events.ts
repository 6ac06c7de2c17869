import * as z from 'zod/mini';
import { approvalStateSchema, type ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { envelope, type DomainEvent } from '#domain/events/event-envelope';

/** Approval event types (docs/events.md, plus `approval.escalated`). CDK rule patterns and the local bus read this list. */
export const APPROVAL_EVENT_TYPES = [
  'approval.required',
  'approval.escalated',
  'approval.granted',
  'approval.rejected',
  'approval.expired',
] as const;
export type ApprovalEventType = (typeof APPROVAL_EVENT_TYPES)[number];

/** Names the request, its job and rule and who is asked: never the task token, never an email link. */
export const approvalEventDataSchema = z.object({
  approvalId: z.string().check(z.describe('The approval request')),
  jobId: z.string().check(z.describe('The job waiting for the decision')),
  jobName: z.string().check(z.describe("The job's name")),
  requesterId: z.string().check(z.describe('User who submitted the job')),
  teamId: z.optional(z.string().check(z.describe('Team charged for the job'))),
  ruleId: z.string().check(z.describe('The approval rule that matched')),
  ruleName: z.string().check(z.describe("That rule's name")),
  reason: z.string().check(z.describe('Why the rule matched, e.g. "estimated cost $60.00 exceeds $50.00"')),
  costUsd: z.number().check(z.describe("The job's cost estimate (max runtime × price)")),
  approverLevel: z.string().check(z.describe('Lowest level asked to decide (the escalation level for `approval.escalated`)')),
  escalateAt: z.string().check(z.describe('When the request escalates undecided')),
  expireAt: z.string().check(z.describe('When the request expires undecided')),
  state: approvalStateSchema.check(z.describe("The request's state after the change")),
  decidedBy: z.optional(z.string().check(z.describe('Approver (granted / rejected)'))),
  comment: z.optional(z.string().check(z.describe("The approver's comment (granted / rejected)"))),
  via: z.optional(z.enum(['api', 'email']).check(z.describe('How the decision was made'))),
});
export type ApprovalEventData = z.infer<typeof approvalEventDataSchema>;

export const APPROVAL_EVENT_DESCRIPTIONS: Record<ApprovalEventType, string> = {
  'approval.required': 'A submitted job matched an approval rule and waits for an approver.',
  'approval.escalated': 'Nobody decided before the escalation time: the next level up is asked.',
  'approval.granted': 'An approver approved a waiting job; it is queued.',
  'approval.rejected': 'An approver rejected a waiting job.',
  'approval.expired': 'Nobody decided before the request expired; the job is `expired`.',
};

/** Builds an approval event from the request as committed. */
export function approvalEvent(type: ApprovalEventType, request: ApprovalRequest, id: string, time: string): DomainEvent {
  return envelope(
    type,
    approvalEventDataSchema,
    { id, time, orgId: request.orgId, subject: `approval/${request.id}` },
    {
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
  );
}
