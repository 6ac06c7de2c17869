import { toAuditEntryView } from '#contracts/audit.contract';
import type { PrincipalGate } from '#domain/authz/access-gate';
import type { AuditLog } from '#domain/audit/audit.port';
import { queryAudit, verifyAudit, type AuditTrail } from '#domain/audit/audit-trail.service';
import { createApiHandler } from '#http/api-handler';
import { auditRoutes } from './audit.routes';

export interface AuditAppDeps {
  trail: AuditTrail;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

export function createAuditHandler(deps: AuditAppDeps) {
  return createApiHandler(
    auditRoutes,
    {
      listAuditEntries: async ({ principal, query }) => {
        const page = await queryAudit(principal, query, deps.trail);
        return {
          status: 200,
          body: { items: page.items.map(toAuditEntryView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
        };
      },
      verifyAuditChain: async ({ principal, query }) => ({ status: 200, body: await verifyAudit(principal, query, deps.trail) }),
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}
