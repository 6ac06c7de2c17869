import type { LevelCatalog } from '#domain/authz/authz.port';
import type { Principal } from '#domain/authz/principal';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { Page } from '#domain/jobs/jobs.port';
import { approvalReaches, eligibility } from './approval-eligibility';
import type { ApprovalRequest, ApprovalState, Decision } from '#domain/jobs/approval-request.schema';
import { settleRequest, type SettlementDeps } from './approval-settlement';

export interface ApprovalsDeps extends SettlementDeps {
  levels: LevelCatalog;
}

/** A request is visible to its requester and to whoever's approval right reaches the requester. */
const visibleTo = (principal: Principal, request: ApprovalRequest): boolean =>
  request.requesterId === principal.userId || approvalReaches(principal, request);

/**
 * Requests of the caller's org in `state` (default pending) that the caller may see. Pages are read from the
 * org's requests and filtered by scope, so a page may hold fewer than `limit` items; follow `nextCursor`.
 */
export async function listApprovals(
  principal: Principal,
  query: { state?: ApprovalState | undefined; limit: number; cursor?: string | undefined },
  deps: Pick<ApprovalsDeps, 'approvals'>,
): Promise<Page<ApprovalRequest>> {
  const page = await deps.approvals.list(principal.orgId, { state: query.state ?? 'pending', limit: query.limit, cursor: query.cursor });
  return { ...page, items: page.items.filter((request) => visibleTo(principal, request)) };
}

/** A request of the caller's org that the caller may see; anything else is 404, as if it did not exist. */
export async function getApproval(principal: Principal, id: string, deps: Pick<ApprovalsDeps, 'approvals'>): Promise<ApprovalRequest> {
  const request = await deps.approvals.get(principal.orgId, id);
  if (!request || !visibleTo(principal, request)) throw notFound('Approval request');
  return request;
}

function closedConflict(request: ApprovalRequest): AppError {
  const how = request.decision
    ? `${request.state} by ${request.decision.by} at ${request.decision.at}`
    : request.state === 'expired'
      ? `expired at ${request.closedAt ?? request.expireAt}`
      : `${request.state}${request.closedAt ? ` at ${request.closedAt}` : ''}`;
  return new AppError('conflict', `The approval request is no longer pending: ${how}`, { state: request.state });
}

/**
 * Approves or rejects a request (docs/approvals.md): the approver must be eligible at this moment; the request must
 * still be pending and before its expiry. The decision and the job's move are one conditional transaction,
 * so a second decision, one racing the expiry or a cancel, gets 409 and changes nothing.
 */
export async function decideApproval(
  principal: Principal,
  id: string,
  input: { outcome: Decision['outcome']; comment?: string | undefined; via?: Decision['via'] },
  deps: ApprovalsDeps,
): Promise<ApprovalRequest> {
  const request = await getApproval(principal, id, deps);
  const allowed = await eligibility(principal, request, deps.levels);
  if (!allowed.eligible) throw forbidden(allowed.reason, { approvalId: request.id });
  if (request.state !== 'pending') throw closedConflict(request);
  const at = deps.clock.now();
  if (at.getTime() >= Date.parse(request.expireAt)) {
    throw new AppError('conflict', `The approval request expired at ${request.expireAt}`, { state: 'expired' });
  }
  const decision: Decision = {
    outcome: input.outcome,
    by: principal.userId,
    at: at.toISOString(),
    comment: input.comment ?? '',
    via: input.via ?? 'api',
  };
  const settled = await settleRequest(request, { state: input.outcome, decision }, deps);
  if (settled) return settled.request;
  const now = await deps.approvals.get(request.orgId, request.id);
  throw now && now.state !== 'pending' ? closedConflict(now) : new AppError('conflict', 'The job is no longer waiting for approval');
}
