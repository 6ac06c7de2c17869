import { toJobView } from '#contracts/jobs.contract';
import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { JobRepository } from '#domain/jobs/jobs.port';
import type { Clock } from '#domain/runtime/runtime.port';
import type { FairShareSource, SchedulingSettingsStore } from '#domain/scheduling/scheduling.port';
import { moveToFront, setPaused, updateSchedulingSettings } from '#domain/scheduling/queue-admin.service';
import { viewQueue } from '#domain/scheduling/queue-view.service';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import { createApiHandler } from '#http/api-handler';
import { queueRoutes } from './queue.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import type { QueueEnv } from './queue.env';

export interface QueueDeps {
  jobs: JobRepository;
  fairShare: FairShareSource;
  scheduling: SchedulingSettingsStore;
  /** Where a team named in a query or body is checked to be the caller's org's. */
  teams: Pick<TenancyRepository, 'getTeam'>;
  clock: Clock;
  principalGate?: PrincipalGate;
  /** Every change (and refusal) is appended by the bundle; routes add target and details. */
  audit?: AuditLog;
}

/** The queue view and queue administration; every change is audited with the settings before and after. */
export function createQueueHandler(deps: QueueDeps) {
  const settingsAudit = (action: string, orgId: string, change: { before: unknown; after: unknown }) => ({
    action,
    target: `org/${orgId}/scheduling`,
    details: change,
  });
  return createApiHandler(
    queueRoutes,
    {
      getQueue: async ({ principal, query }) => ({ status: 200, body: await viewQueue(principal, query, deps) }),
      getSchedulingSettings: async ({ principal }) => ({ status: 200, body: await deps.scheduling.forOrg(principal.orgId) }),
      updateSchedulingSettings: async ({ principal, body }) => {
        const change = await updateSchedulingSettings(principal, body, deps);
        return { status: 200, body: change.after, audit: settingsAudit('queue.settings.update', principal.orgId, change) };
      },
      pauseQueue: async ({ principal, body }) => {
        const change = await setPaused(principal, true, body.backend, deps);
        return { status: 200, body: change.after, audit: settingsAudit('queue.pause', principal.orgId, change) };
      },
      resumeQueue: async ({ principal, body }) => {
        const change = await setPaused(principal, false, body.backend, deps);
        return { status: 200, body: change.after, audit: settingsAudit('queue.resume', principal.orgId, change) };
      },
      moveJobToFront: async ({ principal, params }) => {
        const job = await moveToFront(principal, params.id, deps);
        return {
          status: 200,
          body: toJobView(job),
          audit: { action: 'queue.move_to_front', target: `job/${job.id}`, details: { movedToFrontAt: job.movedToFrontAt } },
        };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The queue function, as Lambda, the local stack and the tests build it. */
export function composeQueue(env: QueueEnv, runtime: ApiRuntime) {
  const { access, options, clock } = composeApiAccess(env, runtime);
  const { doc, configCacheMs } = runtime;
  return createQueueHandler({
    jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
    fairShare: new DynamoFairShareSource(doc, env.QM_TABLE_NAME),
    scheduling: new DynamoSchedulingSettings(doc, env.QM_TABLE_NAME, configCacheMs),
    teams: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME, access.orgStatus),
    clock,
    ...options,
  });
}
