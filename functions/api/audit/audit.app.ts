import { toAuditEntryView } from '#contracts/audit.contract';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { AuditLog, AuditTrail } from '#domain/audit/audit.port';
import { queryAudit, verifyAudit } from '#domain/audit/audit-trail.service';
import { createApiHandler } from '#http/api-handler';
import { auditRoutes } from './audit.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';
import type { AuditEnv } from './audit.env';

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

/** The audit function, as Lambda, the local stack and the tests build it: it reads the log every function appends to. */
export function composeAudit(env: AuditEnv, runtime: ApiRuntime) {
  const { options } = composeApiAccess(env, runtime);
  return createAuditHandler({ trail: new DynamoAuditTrail(runtime.doc, env.QM_TABLE_NAME), ...options });
}
