import { loadEnv } from '#config/env';
import type { EventPublisher } from '#domain/events/events.port';
import type { LdapDirectory, OidcClient } from '#domain/identity/identity.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { ApiHandler } from '#http/api-handler';
import type { RouteGroup } from '#http/route';
import { composeAdmin } from './admin/admin.app';
import { composeApprovalLinks } from './approval-links/approval-links.app';
import { composeApprovals } from './approvals/approvals.app';
import type { ApiRuntime } from './api-access';
import { composeAudit } from './audit/audit.app';
import { composeAuth } from './auth/auth.app';
import { composeCatalog } from './catalog/catalog.app';
import { composeClusters } from './clusters/clusters.app';
import { composeExplain } from './explain/explain.app';
import { composeHealth } from './health/health.app';
import { composeHealthDeep } from './health-deep/health-deep.app';
import { composeIdentity } from './identity/identity.app';
import { composeJobs } from './jobs/jobs.app';
import { composeLogs, type LogsDeps } from './logs/logs.app';
import { composeMe } from './me/me.app';
import { composeNotifications } from './notifications/notifications.app';
import { composePasswordAuth } from './password-auth/password-auth.app';
import { composeQueue } from './queue/queue.app';
import { composeQuotas } from './quotas/quotas.app';
import { composeSessions } from './sessions/sessions.app';
import type { SignInEdges } from './sign-in-composition';
import { composeTemplates } from './templates/templates.app';
import { composeTenancy } from './tenancy/tenancy.app';

/**
 * Everything any API function's composition takes besides its env, as the local stack and the tests provide
 * it: the DynamoDB client, plus stand-ins for what does not run here (the in-process bus for EventBridge, a
 * file store for Secrets Manager, a local key for KMS, the run folder for CloudWatch Logs).
 */
export interface ApiEdges extends ApiRuntime, SignInEdges {
  events: EventPublisher;
  jobOutput: LogsDeps['logs'];
  oidc: OidcClient;
  ldap: LdapDirectory;
  secrets: SecretStore;
}

type Composition = (env: never, edges: ApiEdges) => ApiHandler;

/**
 * The one composition of each API function, by route group. Each function's `<fn>.handler.ts` (Lambda) calls
 * the same one with the deployed clients; the local stack and the tests call it through `composeApiFunction`.
 * `test/unit/architecture/one-composition.test.ts` fails when a group is built any other way.
 */
export const API_COMPOSITIONS: Readonly<Record<string, Composition>> = {
  health: composeHealth,
  'health-deep': composeHealthDeep,
  jobs: composeJobs,
  explain: composeExplain,
  logs: composeLogs,
  catalog: composeCatalog,
  clusters: composeClusters,
  quotas: composeQuotas,
  queue: composeQueue,
  admin: composeAdmin,
  tenancy: composeTenancy,
  templates: composeTemplates,
  notifications: composeNotifications,
  audit: composeAudit,
  auth: composeAuth,
  'password-auth': composePasswordAuth,
  sessions: composeSessions,
  me: composeMe,
  identity: composeIdentity,
  approvals: composeApprovals,
  'approval-links': composeApprovalLinks,
};

/**
 * Builds a route group's function as Lambda does: its env parsed by its own schema from `values` (the local
 * stack's or a test's settings, as CDK's stage values are for Lambda), then its composition.
 */
export function composeApiFunction(group: RouteGroup, values: Readonly<Record<string, string | undefined>>, edges: ApiEdges): ApiHandler {
  const compose = API_COMPOSITIONS[group.name];
  if (!compose) throw new Error(`Route group "${group.name}" has no composition in API_COMPOSITIONS`);
  return compose(loadEnv(group.envSchema, values) as never, edges);
}
