import { reachOf } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { notFound } from '#domain/errors/app-error';
import type { AuditRecord } from './audit-chain';
import type { VerifyReport } from './audit-verify';

/** Filters of `GET /v1/audit`. `action` and `target` match by prefix; times are ISO 8601. */
export interface AuditFilters {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AuditQuery extends AuditFilters {
  orgId: string;
  /** A lead's reach: only entries by members of these teams, or by `self`. */
  teamsOf?: { teamIds: readonly string[]; self: string } | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string;
}

/** The read side of the audit log. */
export interface AuditTrail {
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  verify(orgId: string, options: { fromSeq?: number | undefined; maxEntries: number }): Promise<VerifyReport>;
}

/**
 * The org whose chain the caller reads: their own, or, for a platform admin, any org they name. Naming
 * another org without platform reach is answered like a missing org, so it leaks nothing.
 */
function chainOrg(principal: Principal, requested: string | undefined, permission: 'admin.audit' | 'audit.verify'): string {
  const reach = reachOf(principal, permission);
  const orgId = requested ?? principal.orgId;
  if (reach === 'none' || (reach !== 'platform' && orgId !== principal.orgId)) throw notFound('Org');
  return orgId;
}

/**
 * Audit entries the caller may read (`admin.audit`): an admin reads their org's chain, a lead the entries
 * of their teams' members (as they were when they acted) and their own, a platform admin any org's.
 */
export function queryAudit(
  principal: Principal,
  request: AuditFilters & { orgId?: string | undefined; limit: number; cursor?: string | undefined },
  trail: AuditTrail,
): Promise<AuditPage> {
  const orgId = chainOrg(principal, request.orgId, 'admin.audit');
  const reach = reachOf(principal, 'admin.audit');
  return trail.query({
    ...request,
    orgId,
    ...(reach === 'teams' ? { teamsOf: { teamIds: principal.teamIds, self: principal.userId } } : {}),
  });
}

/** Recomputes an org's chain (`audit.verify`) and reports the first broken link. */
export function verifyAudit(
  principal: Principal,
  request: { orgId?: string | undefined; fromSeq?: number | undefined; maxEntries: number },
  trail: AuditTrail,
): Promise<VerifyReport> {
  const orgId = chainOrg(principal, request.orgId, 'audit.verify');
  return trail.verify(orgId, { fromSeq: request.fromSeq, maxEntries: request.maxEntries });
}
