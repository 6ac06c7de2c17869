import * as z from 'zod/mini';

/**
 * An approval request (docs/approvals.md): one per job that a rule holds for sign-off. `pending` until exactly one
 * of: a decision (`approved`, `rejected`), the expiry (`expired`), or the job's cancellation (`cancelled`).
 * Every change is a conditional write on `pending`, in the same transaction as the job's own move, so a
 * request and its job can never disagree.
 */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export const approvalStateSchema = z.enum(APPROVAL_STATES);
export type ApprovalState = z.infer<typeof approvalStateSchema>;

export const decisionSchema = z.object({
  outcome: z.enum(['approved', 'rejected']),
  by: z.string(),
  at: z.string(),
  comment: z.string(),
  /** How it was made: the API, or a confirmed email link. */
  via: z.enum(['api', 'email']),
});
export type Decision = z.infer<typeof decisionSchema>;

export const approvalRequestSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string(),
  orgId: z.string(),
  jobId: z.string(),
  jobName: z.string(),
  requesterId: z.string(),
  requesterLevel: z.string(),
  /** The team the job charges: a lead's approval reaches requests of their teams. */
  teamId: z.optional(z.string()),
  costUsd: z.number(),
  hardwareType: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  /** Why the rule matched ("estimated cost $60.00 exceeds $50.00"). */
  reason: z.string(),
  requiredLevel: z.string(),
  /** The level notified at escalation (the next level up). */
  escalationLevel: z.string(),
  state: approvalStateSchema,
  createdAt: z.string(),
  escalateAt: z.string(),
  expireAt: z.string(),
  /** Set by the flow's first step once `approval.required` went out (a re-driven flow does not repeat it). */
  notifiedAt: z.optional(z.string()),
  escalatedAt: z.optional(z.string()),
  decision: z.optional(decisionSchema),
  closedAt: z.optional(z.string()),
  /**
   * The Step Functions task token of the wait in progress: a credential that ends the wait, stored here only
   * (never in a view, an event, an audit entry or a log line).
   */
  taskToken: z.optional(z.string()),
  /** Epoch seconds after which DynamoDB TTL removes the closed request (the job retention); absent = keep. */
  expiresAt: z.optional(z.number().check(z.int())),
  version: z.number().check(z.int(), z.gte(1)),
});
export type ApprovalRequest = z.infer<typeof approvalRequestSchema>;

/** What a job that waits for approval records about it, so that the job alone explains why it waits. */
export const jobApprovalSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  reason: z.string(),
  requiredLevel: z.string(),
  escalationLevel: z.string(),
  escalateAt: z.string(),
  expireAt: z.string(),
});
export type JobApproval = z.infer<typeof jobApprovalSchema>;
