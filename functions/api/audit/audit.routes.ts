import { auditListSchema, auditQuerySchema, verifyQuerySchema, verifyReportSchema } from '#contracts/audit.contract';
import { notFoundResponse, standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

/** The audit trail (docs/permissions.md#audit-trail): read with filters and a cursor, and verify the hash chain. */
export const auditRoutes = [
  {
    method: 'GET',
    path: '/v1/audit',
    operationId: 'listAuditEntries',
    summary: 'Audit entries, newest first (admin: the org; lead: their teams; platform admin: any org)',
    access: 'admin.audit',
    tags: ['audit'],
    request: { query: auditQuerySchema },
    responses: {
      200: {
        description: 'A page of entries (may hold fewer than `limit` with sparse filters: follow nextCursor)',
        schema: auditListSchema,
      },
      ...standardErrors,
      ...notFoundResponse('org'),
    },
  },
  {
    method: 'GET',
    path: '/v1/audit/verify',
    operationId: 'verifyAuditChain',
    summary: "Recompute an org's audit hash chain and report the first broken link",
    access: 'audit.verify',
    tags: ['audit'],
    request: { query: verifyQuerySchema },
    responses: {
      200: { description: 'The verification report (ok: false names the first broken link)', schema: verifyReportSchema },
      ...standardErrors,
      ...notFoundResponse('org'),
    },
  },
] as const satisfies readonly RouteDeclaration[];
