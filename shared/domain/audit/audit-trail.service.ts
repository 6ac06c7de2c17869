import type { AuditFilters, AuditPage, AuditTrail } from './audit.port';
import { reachOf } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { notFound } from '#domain/errors/app-error';
import type { VerifyReport } from './audit-verify';

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
