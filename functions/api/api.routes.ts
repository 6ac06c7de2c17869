import type { RouteGroup, TableAccess } from '#http/route';
import { adminEnvSchema } from './admin/admin.env';
import { approvalLinksEnvSchema } from './approval-links/approval-links.env';
import { approvalLinksRoutes } from './approval-links/approval-links.routes';
import { approvalsEnvSchema } from './approvals/approvals.env';
import { approvalsRoutes } from './approvals/approvals.routes';
import { adminRoutes } from './admin/admin.routes';
import { auditEnvSchema } from './audit/audit.env';
import { auditRoutes } from './audit/audit.routes';
import { authEnvSchema } from './auth/auth.env';
import { authRoutes } from './auth/auth.routes';
import { catalogEnvSchema } from './catalog/catalog.env';
import { catalogRoutes } from './catalog/catalog.routes';
import { clustersEnvSchema } from './clusters/clusters.env';
import { clustersRoutes } from './clusters/clusters.routes';
import { explainEnvSchema } from './explain/explain.env';
import { explainRoutes } from './explain/explain.routes';
import { healthEnvSchema } from './health/health.env';
import { healthRoutes } from './health/health.routes';
import { healthDeepEnvSchema } from './health-deep/health-deep.env';
import { healthDeepRoutes } from './health-deep/health-deep.routes';
import { identityEnvSchema } from './identity/identity.env';
import { identityRoutes } from './identity/identity.routes';
import { jobsEnvSchema } from './jobs/jobs.env';
import { jobsRoutes } from './jobs/jobs.routes';
import { logsEnvSchema } from './logs/logs.env';
import { logsRoutes } from './logs/logs.routes';
import { meEnvSchema } from './me/me.env';
import { meRoutes } from './me/me.routes';
import { notificationsEnvSchema } from './notifications/notifications.env';
import { notificationsRoutes } from './notifications/notifications.routes';
import { passwordAuthEnvSchema } from './password-auth/password-auth.env';
import { passwordAuthRoutes } from './password-auth/password-auth.routes';
import { queueEnvSchema } from './queue/queue.env';
import { queueRoutes } from './queue/queue.routes';
import { quotasEnvSchema } from './quotas/quotas.env';
import { quotasRoutes } from './quotas/quotas.routes';
import { sessionsEnvSchema } from './sessions/sessions.env';
import { sessionsRoutes } from './sessions/sessions.routes';
import { templatesEnvSchema } from './templates/templates.env';
import { templatesRoutes } from './templates/templates.routes';
import { tenancyEnvSchema } from './tenancy/tenancy.env';
import { tenancyRoutes } from './tenancy/tenancy.routes';

/**
 * Every function behind the access gate reads the caller's user (`USER#`), org, teams and custom levels
 * (`ORG#`), the API key a request came with (`APIKEY#`: revoked keys are refused at the next request), and
 * appends to its org's hash-chained audit log (`AUDIT#`: reads the head, writes entry and head).
 * `withGateAndAudit` adds those partitions to what a group touches for its own routes.
 */
const withGateAndAudit = (own: Partial<TableAccess>): TableAccess => ({
  reads: [...new Set(['USER#*', 'ORG#*', 'APIKEY#*', 'AUDIT#*', ...(own.reads ?? [])])],
  writes: [...new Set(['AUDIT#*', ...(own.writes ?? [])])],
});

/** What judging a submission reads (jobs and explain share it, so that the dry run decides as submit does). */
const SUBMISSION_READS = ['JOB#*', 'IDEMPOTENCY#*', 'COUNTER#*', 'USAGE#*', 'CATALOG#HARDWARE', 'SETTINGS', 'JOBSTATE#*', 'CLUSTERS'];

/** What a sign-in writes: users (JIT, login-time sync), identity links, the bootstrap claim, refresh tokens. */
/** Approval rules: the org's (`ORG#<org>#APPROVAL_RULES`, under the gate's `ORG#*`) and the platform's. */
const APPROVAL_RULE_READS = ['PLATFORM#APPROVAL_RULES'];

/**
 * The event outbox (`OUTBOX#<eventId>`): a function that emits domain events writes them as items, in the
 * transaction of the change they announce, and the relay function puts them on the bus from the table's
 * stream. No API function holds an EventBridge permission.
 */
const OUTBOX = 'OUTBOX#*';

const SIGN_IN_WRITES = ['USER#*', 'IDENTITY#*', 'SETTINGS', 'SESSION#*', OUTBOX];
const SIGN_IN_READS = [...SIGN_IN_WRITES, 'IDP'];

/**
 * Every HTTP route of the API, grouped by the function that serves it, with what that function may touch.
 * CDK builds one function per group from this entry alone (entry, env, grants: `lib/constructs/api-functions.ts`)
 * and one API Gateway route per declaration; the local server and the OpenAPI generator read the same list.
 * Table keys are listed in `shared/adapters/dynamodb/table-keys.ts`.
 */
export const API_ROUTE_GROUPS: readonly RouteGroup[] = [
  {
    name: 'health',
    entry: 'functions/api/health/health.handler.ts',
    description: 'Liveness and readiness probes',
    envSchema: healthEnvSchema,
    routes: healthRoutes,
    // The readiness probe reads one item.
    table: { reads: ['SETTINGS'], writes: [] },
  },
  {
    name: 'health-deep',
    entry: 'functions/api/health-deep/health-deep.handler.ts',
    description: 'Deep health: DynamoDB and each registered cluster the caller may see',
    envSchema: healthDeepEnvSchema,
    routes: healthDeepRoutes,
    // The readiness read (one settings item) and the cluster registrations; credentials to reach the clusters.
    table: withGateAndAudit({ reads: ['SETTINGS', 'CLUSTERS'] }),
    aws: ['cluster-secrets.read'],
  },
  {
    name: 'jobs',
    entry: 'functions/api/jobs/jobs.handler.ts',
    description: 'Submit, explain, list, view and cancel jobs',
    envSchema: jobsEnvSchema,
    routes: jobsRoutes,
    table: withGateAndAudit({
      reads: [...SUBMISSION_READS, ...APPROVAL_RULE_READS],
      // A held job's approval request is written with it; a cancel closes it.
      // Job events, dispatch requests (launch, stop) and approval flow signals go to the outbox; the bus delivers the
      // requests to the dispatch queue and the signals to the approval bridge (no Step Functions rights here).
      writes: ['JOB#*', 'IDEMPOTENCY#*', 'COUNTER#*', 'USAGE#*', 'ORG#*#APPROVALS', OUTBOX],
    }),
  },
  {
    name: 'explain',
    entry: 'functions/api/explain/explain.handler.ts',
    description: 'Dry-run a job submission (writes nothing but refusals to the audit log)',
    envSchema: explainEnvSchema,
    routes: explainRoutes,
    // Plus the deployed GPU fleets: the dry run names the fleet and purchase option a job would use.
    table: withGateAndAudit({ reads: [...SUBMISSION_READS, ...APPROVAL_RULE_READS, 'CATALOG#FLEET'] }),
  },
  {
    name: 'logs',
    entry: 'functions/api/logs/logs.handler.ts',
    description: "Read a job's output",
    envSchema: logsEnvSchema,
    routes: logsRoutes,
    // Kubernetes jobs' output comes from their cluster's pod logs: the registration (`CLUSTERS`) says where.
    table: withGateAndAudit({ reads: ['JOB#*', 'CLUSTERS'] }),
    // The only function with the CloudWatch Logs client (ECS output); cluster credentials for pod logs.
    aws: ['job-output.read', 'cluster-secrets.read'],
  },
  {
    name: 'catalog',
    entry: 'functions/api/catalog/catalog.handler.ts',
    description: 'Hardware catalog: list, view, create, disable',
    envSchema: catalogEnvSchema,
    routes: catalogRoutes,
    // Fleets are read to check that a hardware type placed on ECS fits a deployed fleet.
    table: withGateAndAudit({ reads: ['CATALOG#HARDWARE', 'CATALOG#FLEET'], writes: ['CATALOG#HARDWARE'] }),
  },
  {
    name: 'clusters',
    entry: 'functions/api/clusters/clusters.handler.ts',
    description: 'Registered Kubernetes clusters: registry, credentials, health and capacity',
    envSchema: clustersEnvSchema,
    routes: clustersRoutes,
    // Orgs are checked through the gate's `ORG#*`; hardware types named by a cluster must exist.
    table: withGateAndAudit({ reads: ['CLUSTERS', 'CATALOG#HARDWARE'], writes: ['CLUSTERS'] }),
    // Write-only credentials (stored and rotated here), read back only to check a cluster's health.
    aws: ['cluster-secrets.write'],
  },
  {
    name: 'quotas',
    entry: 'functions/api/quotas/quotas.handler.ts',
    description: 'Quotas, budgets, concurrency limits, usage and cost-limit status',
    envSchema: quotasEnvSchema,
    routes: quotasRoutes,
    // Quotas live under `ORG#<org>#QUOTAS` (read through the gate's `ORG#*`); limits are `SETTINGS`.
    table: withGateAndAudit({ reads: ['SETTINGS', 'COUNTER#*', 'USAGE#*'], writes: ['ORG#*#QUOTAS', 'SETTINGS'] }),
  },
  {
    name: 'queue',
    entry: 'functions/api/queue/queue.handler.ts',
    description: 'The queue in admission order with waits and estimates; queue administration (settings, pause, move to front)',
    envSchema: queueEnvSchema,
    routes: queueRoutes,
    // Scheduling settings are `ORG#<org>#SCHEDULING`; fair-share records are counters; a move to the front writes the job.
    table: withGateAndAudit({ reads: ['JOB#*', 'JOBSTATE#*', 'COUNTER#*'], writes: ['ORG#*#SCHEDULING', 'JOB#*'] }),
  },
  {
    name: 'admin',
    entry: 'functions/api/admin/admin.handler.ts',
    description: 'Users, levels, permission overrides, memberships and resource rules',
    envSchema: adminEnvSchema,
    routes: adminRoutes,
    table: withGateAndAudit({ reads: ['ORGS'], writes: ['USER#*', 'ORG#*#LEVELS', 'ORG#*#RULES'] }),
  },
  {
    name: 'tenancy',
    entry: 'functions/api/tenancy/tenancy.handler.ts',
    description: 'Orgs, teams and team members',
    envSchema: tenancyEnvSchema,
    routes: tenancyRoutes,
    // Orgs and teams (`ORG#<id>`), and users' memberships.
    table: withGateAndAudit({ reads: ['ORGS'], writes: ['ORG#*', 'USER#*'] }),
  },
  {
    name: 'templates',
    entry: 'functions/api/templates/templates.handler.ts',
    description: 'Job templates',
    envSchema: templatesEnvSchema,
    routes: templatesRoutes,
    table: withGateAndAudit({ writes: ['ORG#*#TEMPLATES'] }),
  },
  {
    name: 'notifications',
    entry: 'functions/api/notifications/notifications.handler.ts',
    description: 'Notification channels (email, Slack, signed webhooks) and their subscriptions',
    envSchema: notificationsEnvSchema,
    routes: notificationsRoutes,
    // Channels; the delivery log is only read (under the gate's `ORG#*`: the notifier writes it); a channel test
    // is a `system.test` event in the outbox, which the notifier delivers.
    table: withGateAndAudit({ writes: ['ORG#*#NOTIFICATION_CHANNELS', OUTBOX] }),
    // Slack URLs and webhook signing secrets are written to Secrets Manager, never to the table. No SES: this
    // function sends nothing.
    aws: ['notification-secrets.write'],
  },
  {
    name: 'audit',
    entry: 'functions/api/audit/audit.handler.ts',
    description: 'Audit trail: query and hash-chain verification',
    envSchema: auditEnvSchema,
    routes: auditRoutes,
    // Reads the chains; writes only the entries of requests it refuses.
    table: withGateAndAudit({}),
  },
  {
    name: 'auth',
    entry: 'functions/api/auth/auth.handler.ts',
    description: 'Sign-in: server-side OIDC',
    envSchema: authEnvSchema,
    routes: authRoutes,
    // THROTTLE#: failure counts of sign-in throttling (per source address, per external subject).
    table: withGateAndAudit({
      reads: [...SIGN_IN_READS, 'OAUTHSTATE#*', 'THROTTLE#*'],
      writes: [...SIGN_IN_WRITES, 'OAUTHSTATE#*', 'THROTTLE#*'],
    }),
    aws: ['sessions.sign', 'idp-secrets.read'],
  },
  {
    name: 'password-auth',
    entry: 'functions/api/password-auth/password-auth.handler.ts',
    description: 'Sign-in: LDAP / Active Directory, break-glass',
    envSchema: passwordAuthEnvSchema,
    routes: passwordAuthRoutes,
    // THROTTLE#: failure counts of sign-in throttling (per account, per source address).
    table: withGateAndAudit({ reads: [...SIGN_IN_READS, 'THROTTLE#*'], writes: [...SIGN_IN_WRITES, 'THROTTLE#*'] }),
    // The only function that loads ldapts, and the only one that may read the break-glass secret.
    aws: ['sessions.sign', 'idp-secrets.read', 'break-glass-secret.read'],
  },
  {
    name: 'sessions',
    entry: 'functions/api/sessions/sessions.handler.ts',
    description: 'Session refresh and the session-token JWKS',
    envSchema: sessionsEnvSchema,
    routes: sessionsRoutes,
    // Called all day: kept free of the IdP libraries and of Secrets Manager. THROTTLE#: sign-in throttling
    // (per source address, per token family). A replayed refresh token is reported as `auth.login_failure`
    // through the outbox.
    table: withGateAndAudit({ reads: ['SESSION#*', 'THROTTLE#*'], writes: ['SESSION#*', 'THROTTLE#*', OUTBOX] }),
    aws: ['sessions.sign'],
  },
  {
    name: 'me',
    entry: 'functions/api/me/me.handler.ts',
    description: 'Who am I, my API keys, my email notifications',
    envSchema: meEnvSchema,
    routes: meRoutes,
    // An owner's keys are listed through gsi1 `USER#<owner>#APIKEYS` (inside the gate's `USER#*`); personal
    // subscriptions are `ORG#<org>#PERSONAL_NOTIFICATIONS` (read under the gate's `ORG#*`).
    table: withGateAndAudit({ reads: ['APIKEY#*'], writes: ['APIKEY#*', 'ORG#*#PERSONAL_NOTIFICATIONS'] }),
  },
  {
    name: 'identity',
    entry: 'functions/api/identity/identity.handler.ts',
    description: 'Identity-provider administration',
    envSchema: identityEnvSchema,
    routes: identityRoutes,
    // Cluster registrations: a group mapping may grant only clusters its org may use.
    table: withGateAndAudit({ reads: ['IDP', 'CLUSTERS'], writes: ['IDP'] }),
    // Write-only secrets: the admin API creates and updates them, and never reads them back.
    aws: ['idp-secrets.write'],
  },
  {
    name: 'approvals',
    entry: 'functions/api/approvals/approvals.handler.ts',
    description: 'Approval rules; list, approve and reject approval requests',
    envSchema: approvalsEnvSchema,
    routes: approvalsRoutes,
    // Requests (`ORG#<org>#APPROVALS`, pending ones through gsi1 under the same prefix) and org rules sit under
    // the gate's `ORG#*`; a decision moves the job with its request and counts an approved one in the queue.
    table: withGateAndAudit({
      reads: ['JOB#*', ...APPROVAL_RULE_READS],
      // Decisions record approval events, and the flow signal that ends the flow's wait, in the outbox.
      writes: ['JOB#*', 'COUNTER#*', 'ORG#*#APPROVALS', 'ORG#*#APPROVAL_RULES', 'PLATFORM#APPROVAL_RULES', OUTBOX],
    }),
  },
  {
    name: 'approval-links',
    entry: 'functions/api/approval-links/approval-links.handler.ts',
    description: 'Approve and reject links from approval emails: the confirmation page and its confirming post',
    envSchema: approvalLinksEnvSchema,
    routes: approvalLinksRoutes,
    // Public routes (the link's signed token is the credential), but the approver is checked through the gate's
    // reads all the same, and outcomes are audited. A confirmation uses the link once (`ORG#<org>#APPROVAL_LINKS`)
    // and decides as the approvals function does.
    table: withGateAndAudit({
      reads: ['JOB#*'],
      // Decisions record approval events, and the flow signal that ends the flow's wait, in the outbox.
      writes: ['JOB#*', 'COUNTER#*', 'ORG#*#APPROVALS', 'ORG#*#APPROVAL_LINKS', OUTBOX],
    }),
    // Links are checked with the approval-link key.
    aws: ['approval-link-key.read'],
  },
];
