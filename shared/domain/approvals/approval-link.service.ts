import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { Principal } from '#domain/authz/principal';
import { AppError } from '#domain/errors/app-error';
import { eligibility } from './approval-eligibility';
import { verifyApprovalLink, type ApprovalLinkClaims, type LinkDecision } from './approval-links';
import type { ApprovalLinkKey, ApprovalLinkLedger } from './approvals.port';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { decideApproval, type ApprovalsDeps } from './approvals.service';

/**
 * What an approval link does when it is opened and when it is confirmed (docs/approvals.md, "Approve by
 * email"). Opening (GET) only reads: mail scanners follow links, so it never decides. Confirming (POST)
 * decides through the same {@link decideApproval} as `POST /v1/approvals/{id}/approve|reject`, as the
 * approver the link names, with that approver's rights as their user record says *now*.
 */
export interface ApprovalLinkDeps extends ApprovalsDeps {
  linkKey: ApprovalLinkKey;
  ledger: ApprovalLinkLedger;
  /** Rebuilds the approver's principal from their current user record (refuses a disabled or unknown user). */
  principalGate: PrincipalGate;
  /** Link routes are public (the token is the credential), so they record their own outcomes, as logins do. */
  audit: AuditLog;
}

/**
 * Why a link does nothing: `invalid` (not a link of ours, or altered), `expired` (past its 24 hours), `used`
 * (confirmed before), `closed` (the request was decided, expired or cancelled), `not_allowed` (the approver
 * may no longer decide it).
 */
export type LinkRefusal = 'invalid' | 'expired' | 'used' | 'closed' | 'not_allowed';

export type LinkOutcome =
  | { kind: 'confirm'; decision: LinkDecision; request: ApprovalRequest }
  | { kind: 'decided'; decision: LinkDecision; request: ApprovalRequest }
  | { kind: 'refused'; reason: LinkRefusal; detail?: string; request?: ApprovalRequest };

/** Where a request came from, for the audit entry. */
export interface LinkRequestOrigin {
  sourceIp: string;
  requestId: string;
}

const OUTCOME_OF = { approve: 'approved', reject: 'rejected' } as const;
const OPERATION_OF = { approve: 'approveApproval', reject: 'rejectApproval' } as const;

/** The approver as their user record says now: a link is never more than its approver's current right. */
async function currentApprover(claims: ApprovalLinkClaims, gate: PrincipalGate): Promise<Principal | undefined> {
  const outcome = await gate({
    userId: claims.approverUserId,
    orgId: claims.orgId,
    level: 'viewer',
    platformAdmin: false,
    teamIds: [],
    authMethod: 'approval_link',
  });
  return outcome.ok ? outcome.principal : undefined;
}

type Checked =
  | { ok: true; claims: ApprovalLinkClaims; approver: Principal; request: ApprovalRequest }
  | { ok: false; outcome: LinkOutcome; claims?: ApprovalLinkClaims };

/** Everything a link must pass before its page offers (or its confirmation makes) a decision. */
async function check(token: string | undefined, deps: ApprovalLinkDeps): Promise<Checked> {
  const now = deps.clock.now();
  const verified = await verifyApprovalLink(token ?? '', now, deps.linkKey);
  if (!verified.ok) return { ok: false, outcome: { kind: 'refused', reason: verified.reason === 'expired' ? 'expired' : 'invalid' } };
  const { claims } = verified;
  const request = await deps.approvals.get(claims.orgId, claims.approvalId);
  if (!request) return { ok: false, claims, outcome: { kind: 'refused', reason: 'invalid' } };
  if (request.state !== 'pending' || now.getTime() >= Date.parse(request.expireAt)) {
    return { ok: false, claims, outcome: { kind: 'refused', reason: 'closed', request } };
  }
  const approver = await currentApprover(claims, deps.principalGate);
  if (!approver)
    return {
      ok: false,
      claims,
      outcome: { kind: 'refused', reason: 'not_allowed', detail: 'Your account is disabled or no longer exists', request },
    };
  const allowed = await eligibility(approver, request, deps.levels);
  if (!allowed.eligible) return { ok: false, claims, outcome: { kind: 'refused', reason: 'not_allowed', detail: allowed.reason, request } };
  return { ok: true, claims, approver, request };
}

/** GET: what the link would do, or why it cannot. Reads only; a refusal of the approver's right is audited. */
export async function openApprovalLink(token: string | undefined, origin: LinkRequestOrigin, deps: ApprovalLinkDeps): Promise<LinkOutcome> {
  const checked = await check(token, deps);
  if (!checked.ok) {
    if (checked.outcome.kind === 'refused' && checked.outcome.reason === 'not_allowed')
      await audit(deps, origin, checked.claims, checked.outcome);
    return checked.outcome;
  }
  if (await deps.ledger.wasUsed(checked.claims)) return { kind: 'refused', reason: 'used', request: checked.request };
  return { kind: 'confirm', decision: checked.claims.decision, request: checked.request };
}

/**
 * POST: decides, once. The link is marked used by a conditional write after every check and before the
 * decision, so of two confirmations of one link exactly one reaches the decision (which is itself conditional
 * on the request being pending: a second decision by any route is a 409 there). Every outcome is audited.
 */
export async function confirmApprovalLink(
  input: { token?: string | undefined; comment?: string | undefined },
  origin: LinkRequestOrigin,
  deps: ApprovalLinkDeps,
): Promise<LinkOutcome> {
  const checked = await check(input.token, deps);
  if (!checked.ok) {
    await audit(deps, origin, checked.claims, checked.outcome);
    return checked.outcome;
  }
  const { claims, approver, request } = checked;
  const expiresAt = claims.expiresAt;
  if (
    !(await deps.ledger.use({ orgId: claims.orgId, linkId: claims.linkId, approvalId: claims.approvalId, expiresAt }, deps.clock.now()))
  ) {
    const used: LinkOutcome = { kind: 'refused', reason: 'used', request };
    await audit(deps, origin, claims, used);
    return used;
  }
  let outcome: LinkOutcome;
  try {
    const decided = await decideApproval(
      approver,
      claims.approvalId,
      { outcome: OUTCOME_OF[claims.decision], comment: input.comment, via: 'email' },
      deps,
    );
    outcome = { kind: 'decided', decision: claims.decision, request: decided };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const current = (await deps.approvals.get(claims.orgId, claims.approvalId)) ?? request;
    outcome =
      error.code === 'forbidden'
        ? { kind: 'refused', reason: 'not_allowed', detail: error.message, request: current }
        : error.code === 'conflict'
          ? { kind: 'refused', reason: 'closed', request: current }
          : { kind: 'refused', reason: 'invalid' };
  }
  await audit(deps, origin, claims, outcome);
  return outcome;
}

/**
 * One audit entry per confirmation, and per refusal of an approver's right: the approver (or `anonymous`
 * when the token proves nothing), the request's id, the outcome. Never the token or the link.
 */
async function audit(
  deps: ApprovalLinkDeps,
  origin: LinkRequestOrigin,
  claims: ApprovalLinkClaims | undefined,
  outcome: LinkOutcome,
): Promise<void> {
  const decided = outcome.kind === 'decided';
  const reason = outcome.kind === 'refused' ? outcome.reason : undefined;
  const entry: AuditEntryInput = {
    actor: claims?.approverUserId ?? 'anonymous',
    orgId: claims?.orgId ?? 'platform',
    action: decided && claims ? OPERATION_OF[claims.decision] : reason === 'not_allowed' ? 'request.denied' : 'approval.link_refused',
    target: claims ? `approval/${claims.approvalId}` : 'approval-link',
    outcome: decided ? 'success' : reason === 'not_allowed' ? 'denied' : 'failure',
    sourceIp: origin.sourceIp.slice(0, 64),
    requestId: origin.requestId.slice(0, 128),
    details: {
      via: 'email',
      ...(claims ? { decision: claims.decision } : {}),
      ...(decided
        ? {
            jobId: outcome.request.jobId,
            ruleId: outcome.request.ruleId,
            outcome: outcome.request.decision?.outcome,
            comment: outcome.request.decision?.comment,
          }
        : {}),
      ...(reason ? { refused: reason } : {}),
      ...(outcome.kind === 'refused' && outcome.detail ? { reason: outcome.detail } : {}),
    },
  };
  await deps.audit.append(entry);
}
