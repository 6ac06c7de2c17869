import { approvalEvent } from '#domain/approvals/approval.events';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { settleRequest, type SettlementDeps } from './approval-settlement';

/**
 * The steps of the approval flow (docs/approvals.md), one function each, called by the state machine's task
 * states (`functions/workflows/approval/`) and, locally, by the same ASL run in-process. Each step reads the
 * request first: one that is no longer pending (decided, cancelled) throws {@link RequestClosed}, which the
 * state machine catches to end the execution quietly. Every step is idempotent: a retried or re-driven step
 * never announces twice.
 */

/** The error name the state machine catches (`Catch: ["Approval.Closed"]`). */
export const REQUEST_CLOSED = 'Approval.Closed';

export class RequestClosed extends Error {
  override readonly name = REQUEST_CLOSED;
  constructor(id: string) {
    super(`Approval request ${id} is no longer pending`);
  }
}

/** What every step receives: ids only (no secrets in Step Functions input, docs/architecture.md#security-notes). */
export interface FlowRef {
  approvalId: string;
  orgId: string;
}

export type FlowDeps = SettlementDeps;

/** Seconds until `iso`, at least 1 (a task timeout must be ≥ 1; a re-driven flow whose time passed moves on at once). */
const secondsUntil = (iso: string, now: Date): number => Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));

async function pendingRequest(ref: FlowRef, deps: FlowDeps): Promise<ApprovalRequest> {
  const request = await deps.approvals.get(ref.orgId, ref.approvalId);
  if (!request || request.state !== 'pending') throw new RequestClosed(ref.approvalId);
  return request;
}

/** RecordRequest: the request is stored (by the submission); announce `approval.required` once, and time the wait. */
export async function recordStep(ref: FlowRef, deps: FlowDeps): Promise<{ waitSeconds: number }> {
  const request = await pendingRequest(ref, deps);
  const now = deps.clock.now();
  // `approval.required` is recorded by the first stamp's own write (the outbox): announced once, and only then.
  const required = approvalEvent('approval.required', request, deps.ids.next(), now.toISOString());
  const stamp = await deps.approvals.stamp(ref.orgId, ref.approvalId, 'notifiedAt', now.toISOString(), [required]);
  if (stamp === 'closed') throw new RequestClosed(ref.approvalId);
  return { waitSeconds: secondsUntil(request.escalateAt, now) };
}

/** AwaitDecision / AwaitEscalatedDecision: keep the wait's task token with the request, for the decision to use. */
export async function awaitStep(ref: FlowRef & { taskToken: string }, deps: FlowDeps): Promise<void> {
  if (!(await deps.approvals.storeToken(ref.orgId, ref.approvalId, ref.taskToken))) throw new RequestClosed(ref.approvalId);
}

/** Escalate: nobody decided by the escalation time; tell the next level up once, and wait until the expiry. */
export async function escalateStep(ref: FlowRef, deps: FlowDeps): Promise<{ waitSeconds: number }> {
  const request = await pendingRequest(ref, deps);
  const now = deps.clock.now();
  const escalated = { ...request, escalatedAt: now.toISOString() };
  const event = approvalEvent('approval.escalated', escalated, deps.ids.next(), now.toISOString());
  const stamp = await deps.approvals.stamp(ref.orgId, ref.approvalId, 'escalatedAt', now.toISOString(), [event]);
  if (stamp === 'closed') throw new RequestClosed(ref.approvalId);
  return { waitSeconds: secondsUntil(request.expireAt, now) };
}

/** Expire: no decision by the expiry time; request and job become `expired` together (`approval.expired`). */
export async function expireStep(ref: FlowRef, deps: FlowDeps): Promise<void> {
  const request = await pendingRequest(ref, deps);
  if (!(await settleRequest(request, { state: 'expired' }, deps))) throw new RequestClosed(ref.approvalId);
}
