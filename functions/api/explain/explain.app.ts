import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import { explainJob, type ExplainDeps } from '#domain/job-flow/explain-job.service';
import { createApiHandler } from '#http/api-handler';
import { explainRoutes } from './explain.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { dynamoApprovalGate, dynamoSubmissionReads } from '#functions/api/submission-reads';
import type { ExplainEnv } from './explain.env';

export interface ExplainHandlerDeps extends ExplainDeps {
  principalGate?: PrincipalGate;
  /** Refusals are audited (docs/permissions.md#audit-trail); the dry run itself leaves no entry. */
  audit?: AuditLog;
}

/** `POST /v1/jobs/explain`: what a submission of this spec would do now, computed exactly as submit computes it. */
export function createExplainHandler(deps: ExplainHandlerDeps) {
  return createApiHandler(
    explainRoutes,
    {
      // A dry run writes nothing, so it leaves no audit entry either (a refusal is still audited).
      explainJob: async ({ principal, body }) => ({
        status: 200,
        body: await explainJob(principal, body, deps),
        audit: { unchanged: true },
      }),
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The dry-run function, as Lambda, the local stack and the tests build it: the same reads and settings as jobs, no event bus. */
export function composeExplain(env: ExplainEnv, runtime: ApiRuntime) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  return createExplainHandler({
    ...dynamoSubmissionReads(env, { ...runtime, clock, ids }),
    approval: dynamoApprovalGate(env, runtime, access.levels),
    // The deployed GPU fleets: the dry run names the fleet and purchase option a job would use.
    fleets: new DynamoFleetDirectory(runtime.doc, env.QM_TABLE_NAME),
    ...options,
  });
}
