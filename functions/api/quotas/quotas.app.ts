import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import type { LimitsSource, QuotaRepository, UsageRepository } from '#domain/quotas/quotas.port';
import type { JobRepository } from '#domain/jobs/jobs.port';
import { myLimits } from '#domain/quotas/limits-view.service';
import type { Quota } from '#domain/quotas/quota.schema';
import { createQuota, deleteQuota, listQuotas, updateQuota, type QuotaScopeSources } from '#domain/quotas/quota.service';
import { costLimitStatus, usageReport } from '#domain/quotas/usage.service';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { createApiHandler } from '#http/api-handler';
import { quotasRoutes } from './quotas.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { dynamoLimits } from '#functions/api/limits-source';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoCurrentUsers } from '#adapters/dynamodb/dynamo-current-users.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUsageRepository } from '#adapters/dynamodb/dynamo-usage.repository';
import type { QuotasEnv } from './quotas.env';

/** `teams`, `users` and `levels`: where scope ids named in a body or query are checked to be the org's. */
export interface QuotasDeps extends QuotaScopeSources {
  quotas: QuotaRepository;
  limits: LimitsSource & { set(limits: ConcurrencyLimits, updatedBy: string): Promise<ConcurrencyLimits> };
  jobs: JobRepository;
  usage: UsageRepository;
  principalGate?: PrincipalGate;
  /** Every change (and refusal) is appended by the bundle; routes add target and details. */
  audit?: AuditLog;
  clock: Clock;
  ids: IdSource;
}

const view = ({ schemaVersion: _version, ...quota }: Quota) => quota;

/** Quota administration and the usage views; every change is audited with what changed. */
export function createQuotasHandler(deps: QuotasDeps) {
  return createApiHandler(
    quotasRoutes,
    {
      listQuotas: async ({ principal, query }) => ({
        status: 200,
        body: { items: (await listQuotas(principal, deps, query.orgId)).map(view) },
      }),
      createQuota: async (ctx) => {
        const quota = await createQuota(ctx.principal, ctx.body, deps, ctx.query.orgId);
        const details = { metric: quota.metric, scope: `${quota.scopeType}/${quota.scopeId}`, limit: quota.limit, action: quota.action };
        return {
          status: 201,
          body: view(quota),
          headers: { location: `/v1/quotas/${quota.id}` },
          audit: { action: 'quota.create', target: `quota/${quota.id}`, orgId: quota.orgId, details },
        };
      },
      updateQuota: async (ctx) => {
        const quota = await updateQuota(ctx.principal, ctx.params.id, ctx.body, deps, ctx.query.orgId);
        return {
          status: 200,
          body: view(quota),
          audit: { action: 'quota.update', target: `quota/${quota.id}`, orgId: quota.orgId, details: { ...ctx.body } },
        };
      },
      deleteQuota: async (ctx) => {
        await deleteQuota(ctx.principal, ctx.params.id, deps, ctx.query.orgId);
        return { status: 204, audit: { action: 'quota.delete', target: `quota/${ctx.params.id}` } };
      },
      getConcurrencyLimits: async () => ({ status: 200, body: await deps.limits.current() }),
      setConcurrencyLimits: async (ctx) => {
        const before = await deps.limits.current();
        const limits = await deps.limits.set(ctx.body, ctx.principal.userId);
        return {
          status: 200,
          body: limits,
          audit: { action: 'limits.update', target: 'settings/limits', details: { before, after: limits } },
        };
      },
      getCostLimitStatus: async ({ principal }) => ({ status: 200, body: { items: await costLimitStatus(principal, deps) } }),
      getMyLimits: async ({ principal }) => ({ status: 200, body: await myLimits(principal, deps) }),
      getUsage: async ({ principal, query }) => ({ status: 200, body: await usageReport(principal, query, deps) }),
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The quotas function, as Lambda, the local stack and the tests build it. */
export function composeQuotas(env: QuotasEnv, runtime: ApiRuntime) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  const { doc, configCacheMs } = runtime;
  const table = env.QM_TABLE_NAME;
  return createQuotasHandler({
    quotas: new DynamoQuotaRepository(doc, table, configCacheMs),
    limits: dynamoLimits(env, runtime),
    jobs: new DynamoJobRepository(doc, table),
    usage: new DynamoUsageRepository(doc, table),
    teams: new DynamoTenancyRepository(doc, table, access.orgStatus),
    users: new DynamoCurrentUsers(doc, table),
    levels: access.levels,
    clock,
    ids,
    ...options,
  });
}
