import { generateKeyPairSync } from 'node:crypto';
import type { EventPublisher } from '#domain/events/events.port';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { composeApiFunction, type ApiEdges } from '#functions/api/api.compositions';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { DynamoApprovalRuleRepository } from '#adapters/dynamodb/dynamo-approval-rule.repository';
import { LocalKeySigner } from '#adapters/jwt/local-key-signer.client';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { OpenIdClientAdapter } from '#adapters/oidc/oidc-provider.client';
import { dynamoApiAccess, type ApiAccess } from '#functions/api/api-access';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import { DynamoIdentityProviderRepository } from '#adapters/dynamodb/dynamo-identity-provider.repository';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { orgIndexAttributes } from '#adapters/dynamodb/keys';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { createLogger } from '#adapters/logging/logger';
import type { Principal } from '#domain/authz/principal';
import type { User } from '#domain/users/user.schema';
import { createApiHandler, type ApiHandler } from '#http/api-handler';
import { toAuthorizerContext } from '#http/principal-context';
import { routeKey, type RouteDeclaration } from '#http/route';
import { createTestTable, type TestTable } from './integration-env';
import { principalOfUser } from '#test-support/job-fixtures';

/**
 * A small world for authorization tests, on a fresh DynamoDB Local table: org `acme` (teams `vision`,
 * `nlp`) and org `globex` (team `robotics`); the real route handlers of the authorization groups and jobs,
 * composed like the deployed functions (access gate, hash-chained audit log); every other route group
 * behind the same middy bundle with stub implementations, so its permission checks run for real too.
 */
export const ORGS = { acme: 'acme', globex: 'globex' } as const;
export const TEAMS = { vision: 'vision', nlp: 'nlp', robotics: 'robotics' } as const;
/** Anything stored in globex carries this, so a leak shows up in a response body. */
export const FOREIGN_MARKER = 'GLOBEX-PRIVATE';

export interface CallResult {
  status: number;
  /** Response bodies are inspected loosely in tests. */
  json: any;
  text: string;
}

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface AuthzWorld {
  table: TestTable;
  /** The deployed access composition, plus the tenancy repository the admin and tenancy functions add to it. */
  access: ApiAccess & { tenancy: DynamoTenancyRepository; users: DynamoUserDirectory };
  jobs: DynamoJobRepository;
  templates: DynamoTemplateRepository;
  rules: DynamoResourceRuleRepository;
  approvalRules: DynamoApprovalRuleRepository;
  approvals: DynamoApprovalRepository;
  providers: DynamoIdentityProviderRepository;
  notificationChannels: DynamoNotificationChannelRepository;
  /** The secret store the functions write to (file-backed, standing in for Secrets Manager). */
  notificationSecrets: SecretStore;
  clusters: DynamoClusterRepository;
  /** Where cluster credentials go (the file-backed store standing in for Secrets Manager). */
  clusterSecrets: SecretStore;
  /** `iss` of Quartermaster's own session tokens in this world (reserved: no provider may claim it). */
  sessionIssuer: string;
  quotas: DynamoQuotaRepository;
  hardware: DynamoHardwareCatalog;
  routes: ReadonlyMap<string, { group: string; route: RouteDeclaration }>;
  /** Route groups served by stub implementations here (their permission check is real, nothing else). */
  stubbed: ReadonlySet<string>;
  /** Stores a user (with its listing index) and returns it. */
  putUser(user: Partial<User> & Pick<User, 'id'>): Promise<User>;
  /** The principal the authorizer would build for the stored user (or the given stale one). */
  principalOf(userId: string): Promise<Principal>;
  /** Calls `operationId` through its group's handler, as `caller` (a user id, or a principal as the authorizer sent it). */
  call(caller: string | Principal, operationId: string, input?: CallInput): Promise<CallResult>;
  /** How many audit entries the composed functions have appended so far (their hash-chain anchor log lines). */
  auditAppends(): number;
  /** A fresh id, unique in this world. */
  unique(prefix: string): string;
}

const at = '2026-01-01T00:00:00.000Z';
const silent = createLogger({ logLevel: 'SILENT' });

/**
 * `events`: where the functions record domain events. Default: an in-process bus nobody listens to (EventBridge
 * does not run here); the channel-test tests pass one routed to the notifier.
 */
export async function createAuthzWorld(options: { events?: EventPublisher } = {}): Promise<AuthzWorld> {
  // The real handlers log through the process-wide logger, built lazily from this: hundreds of refusals
  // would otherwise fill the test output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const table = await createTestTable();
  const { doc, tableName } = table;
  const gate = dynamoApiAccess(doc, tableName, { QM_AUDIT_RETENTION_DAYS: 90, QM_PERMISSION_CACHE_SECONDS: 60 }, { logger: silent });
  const access = {
    ...gate,
    tenancy: new DynamoTenancyRepository(doc, tableName, gate.orgStatus),
    users: new DynamoUserDirectory(doc, tableName),
  };
  const jobs = new DynamoJobRepository(doc, tableName);
  const hardware = new DynamoHardwareCatalog(doc, tableName);
  const templates = new DynamoTemplateRepository(doc, tableName);
  const rules = new DynamoResourceRuleRepository(doc, tableName, 0);
  const providers = new DynamoIdentityProviderRepository(doc, tableName);
  const sessionIssuer = 'https://api.authz-world.test';
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  for (const [org, name] of [
    [ORGS.acme, 'Acme'],
    [ORGS.globex, `Globex ${FOREIGN_MARKER}`],
  ] as const) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.org(org), ...orgIndexAttributes(org), id: org, slug: org, name, status: 'active', createdAt: at },
      }),
    );
  }
  for (const [org, team] of [
    [ORGS.acme, TEAMS.vision],
    [ORGS.acme, TEAMS.nlp],
    [ORGS.globex, TEAMS.robotics],
  ] as const) {
    const name = org === ORGS.globex ? `Robotics ${FOREIGN_MARKER}` : team;
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.team(org, team), id: team, slug: team, orgId: org, name, status: 'active', createdAt: at },
      }),
    );
  }

  // Every group with an authenticated route is built by its one composition (API_COMPOSITIONS), as Lambda and
  // the local stack build it. Permission caches are off: the world's own stores change what the handlers read.
  const worldEnv = {
    QM_TABLE_NAME: tableName,
    QM_LOCAL_STACK: 'true',
    // `local` stays the default; jobs that name a cluster run on `kubernetes` (registered clusters).
    QM_BACKENDS: 'local,kubernetes',
    QM_PERMISSION_CACHE_SECONDS: '0',
    QM_MAX_CONCURRENT: '10000',
    QM_USER_MAX_CONCURRENT: '10000',
    QM_API_BASE_URL: sessionIssuer,
    QM_SESSION_KMS_KEY_ID: 'test',
  };
  // Every append logs its anchor line through the composition's logger: counting those counts entries per request.
  let auditAppends = 0;
  const functionsLogger = createLogger({ logLevel: 'SILENT' });
  const info = functionsLogger.info.bind(functionsLogger);
  functionsLogger.info = (message: string, ...rest: unknown[]) => {
    if (message === 'audit entry appended') auditAppends += 1;
    (info as (message: string, ...rest: unknown[]) => void)(message, ...rest);
  };
  const secrets = new EnvFileSecretStore(await mkdtemp(join(tmpdir(), 'qm-authz-secrets-')));
  const edges: ApiEdges = {
    doc,
    logger: functionsLogger,
    configCacheMs: 0,
    events: options.events ?? new InProcessEventBus(),
    jobOutput: () => ({ read: async () => ({ lines: [] }) }),
    // Secrets Manager and KMS do not run here: the local stack's file-backed secret store and local key stand in.
    secrets,
    signer: new LocalKeySigner(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ),
    oidc: new OpenIdClientAdapter(),
    ldap: new LdaptsDirectory(),
  };
  const handlers: Record<string, ApiHandler> = {};
  const stubbed = new Set<string>();
  for (const group of API_ROUTE_GROUPS) {
    if (group.routes.some((route) => route.access !== 'public')) handlers[group.name] = composeApiFunction(group, worldEnv, edges);
  }
  const routes = new Map<string, { group: string; route: RouteDeclaration }>();
  for (const group of API_ROUTE_GROUPS) {
    for (const route of group.routes) routes.set(route.operationId, { group: group.name, route });
    // Public groups (health, sign-in) get the real bundle with stub implementations: the matrix has no
    // object model for them, and their access is asserted as `public`.
    if (!handlers[group.name]) stubbed.add(group.name);
    handlers[group.name] ??= createApiHandler(
      group.routes,
      Object.fromEntries(group.routes.map((route) => [route.operationId, async () => ({ status: 200, body: { stub: true } })])) as never,
      { logger: silent, principalGate: access.principalGate, audit: access.audit },
    );
  }

  let counter = 0;
  const world: AuthzWorld = {
    table,
    access,
    jobs,
    templates,
    rules,
    approvalRules: new DynamoApprovalRuleRepository(doc, tableName, 0),
    approvals: new DynamoApprovalRepository(doc, tableName),
    providers,
    notificationChannels: new DynamoNotificationChannelRepository(doc, tableName),
    notificationSecrets: secrets,
    clusters: new DynamoClusterRepository(doc, tableName),
    clusterSecrets: secrets,
    sessionIssuer,
    quotas: new DynamoQuotaRepository(doc, tableName, 0),
    hardware,
    routes,
    stubbed,
    auditAppends: () => auditAppends,
    unique: (prefix) => `${prefix}-${(counter += 1).toString(36)}`,
    async putUser(partial) {
      const orgId = partial.orgId ?? ORGS.acme;
      const user: User = {
        schemaVersion: 1,
        email: `${partial.id}@${orgId}.test`,
        displayName: orgId === ORGS.globex ? `${partial.id} ${FOREIGN_MARKER}` : partial.id,
        orgId,
        level: 'researcher',
        platformAdmin: false,
        teamIds: [],
        status: 'active',
        createdAt: at,
        authzVersion: 1,
        ...partial,
      };
      if (!(await access.users.create(user))) throw new Error(`user ${user.id} exists`);
      return user;
    },
    async principalOf(userId) {
      const user = await access.users.currentUser(userId);
      if (!user) throw new Error(`no user ${userId}`);
      return principalOfUser(user, 'oidc');
    },
    async call(caller, operationId, input = {}) {
      const entry = routes.get(operationId);
      if (!entry) throw new Error(`no route ${operationId}`);
      const handler = handlers[entry.group];
      if (!handler) throw new Error(`no handler for group ${entry.group}`);
      const principal = typeof caller === 'string' ? await world.principalOf(caller) : caller;
      return invokeRoute(handler, entry.route, principal, input);
    },
  };
  return world;
}

/** Calls `handler` with the event API Gateway and the authorizer build for `route`, `principal` and `input`. */
export async function invokeRoute(
  handler: ApiHandler,
  route: RouteDeclaration,
  principal: Principal,
  input: CallInput = {},
): Promise<CallResult> {
  const params = input.params ?? {};
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
  const event = buildHttpApiV2Event({
    method: route.method,
    rawPath,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...(input.headers ?? {}) },
    ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
    routeKey: routeKey(route),
    pathParameters: params,
    sourceIp: '10.1.2.3',
  });
  event.requestContext.authorizer = { lambda: toAuthorizerContext(principal) };
  const result = await handler(event, {} as Context);
  const text = typeof result.body === 'string' ? result.body : '';
  return { status: result.statusCode, text, json: text ? JSON.parse(text) : undefined };
}
