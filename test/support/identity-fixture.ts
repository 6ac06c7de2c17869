import { createHmac, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import { createAuthHandler } from '#functions/api/auth/auth.app';
import { createSessionsHandler } from '#functions/api/sessions/sessions.app';
import { createPasswordAuthHandler } from '#functions/api/password-auth/password-auth.app';
import { composeApiFunction, type ApiEdges } from '#functions/api/api.compositions';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { startDevIdp, type DevAccount, type DevIdp } from '#scripts/local/dev-idp';
import { startHttpServer, type RunningHttpServer } from '#scripts/local/http-server';
import { ensureDevCertificate } from '#scripts/local/tls-cert';
import { dynamoIdentityStores, type IdentityStores } from '#adapters/dynamodb/identity-stores';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { ApiKeyVerifier, inMemoryJwksFetcher, SessionTokenVerifier } from '#adapters/jwt/credential.verifier';
import { IdpTokenVerifier } from '#adapters/jwt/idp-token.verifier';
import { LocalKeySigner } from '#adapters/jwt/local-key-signer.client';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { createLogger } from '#adapters/logging/logger';
import { OpenIdClientAdapter } from '#adapters/oidc/oidc-provider.client';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import type { AuditLog } from '#domain/audit/audit.port';
import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import type { IdentityProvider } from '#domain/identity/identity-provider.schema';
import { signIn, type LoginDeps } from '#domain/identity/login.service';
import type { LdapDirectory } from '#domain/identity/identity.port';
import type { SessionDeps } from '#domain/identity/session.service';
import type { Clock } from '#domain/runtime/runtime.port';
import { createTestTable } from './integration-env';
import tls from 'node:tls';

/** An in-memory audit log and event publisher: what the tests read back. */
export class Recorder implements AuditLog, EventPublisher {
  readonly audit: AuditEntryInput[] = [];
  readonly events: DomainEvent[] = [];
  async append(entry: AuditEntryInput): Promise<void> {
    this.audit.push(entry);
  }
  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** A clock tests can move. */
export class TestClock implements Clock {
  offsetMs = 0;
  /** When set, time stands still there (plus `offsetMs`): for limits measured in whole seconds. */
  frozenAtMs: number | undefined;
  now(): Date {
    return new Date((this.frozenAtMs ?? Date.now()) + this.offsetMs);
  }
}

export const RESOURCE = 'urn:quartermaster:test-api';

export const ACCOUNTS: DevAccount[] = [
  { id: 'ada', password: 'ada-pw', email: 'ada@acme.test', name: 'Ada', groups: ['qm-admins'] },
  { id: 'rae', password: 'rae-pw', email: 'rae@acme.test', name: 'Rae', groups: ['qm-researchers'] },
  { id: 'vic', password: 'vic-pw', email: 'vic@acme.test', name: 'Vic', groups: ['qm-viewers'] },
  { id: 'nog', password: 'nog-pw', email: 'nog@acme.test', name: 'No Group', groups: [] },
];

export function oidcProvider(issuer: string, overrides: Partial<IdentityProvider> = {}, apiUrl?: string): IdentityProvider {
  return {
    schemaVersion: 1,
    id: 'dev',
    type: 'oidc',
    displayName: 'Dev',
    enabled: true,
    jitProvisioning: true,
    defaultOrgId: 'acme',
    groupMappings: [
      { group: 'qm-admins', level: 'admin', teamIds: ['vision'], platformAdmin: false },
      { group: 'qm-researchers', level: 'researcher', teamIds: ['vision'], platformAdmin: false },
      { group: 'qm-viewers', level: 'viewer', teamIds: [], platformAdmin: false },
    ],
    issuer,
    clientId: 'quartermaster-web',
    clientSecretRef: 'file:web-client-secret',
    scopes: ['openid', 'email', 'profile', 'api'],
    audience: RESOURCE,
    allowedClientIds: ['quartermaster-cli'],
    accessTokenCheck: 'rfc9068',
    groupsClaim: 'realm_access.roles',
    emailClaim: 'email',
    nameClaim: 'name',
    ...(apiUrl ? { redirectUri: `${apiUrl}/v1/auth/oidc/dev/callback` } : {}),
    ...overrides,
  } as IdentityProvider;
}

export interface IdentityFixture {
  idp: DevIdp;
  ca: string;
  stores: IdentityStores;
  recorder: Recorder;
  clock: TestClock;
  server: RunningHttpServer;
  url: string;
  login: LoginDeps;
  sessions: SessionDeps;
  secrets: EnvFileSecretStore;
  /** The key session tokens are signed with (tests mint look-alikes with it: only the property under test is wrong). */
  sessionKey: { kid: string; privateKeyPem: string };
  authorizer: ReturnType<typeof createAuthorizer>;
  /** A fresh authorizer (empty caches) over the same stores. */
  newAuthorizer(options?: { jwksRefetchWaitSeconds?: number }): ReturnType<typeof createAuthorizer>;
  stop(): Promise<void>;
}

/**
 * Everything identity needs, real where it can be: DynamoDB Local, the dev OIDC provider over https, the
 * real aws-jwt-verify / openid-client / ldapts adapters, the local HTTP server with the real middy chain.
 */
export async function startIdentityFixture(
  options: { ldap?: LdapDirectory; firstUserBecomesAdmin?: boolean } = {},
): Promise<IdentityFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'qm-identity-test-'));
  const certificate = await ensureDevCertificate(join(dir, 'tls'));
  tls.setDefaultCACertificates([...new Set([...tls.getCACertificates('default'), certificate.cert])]);
  const { port: apiPort } = await import('#scripts/local/ports').then(async (m) => ({ port: await m.freePort() }));
  const url = `http://127.0.0.1:${apiPort}`;
  const idp = await startDevIdp({
    port: 0,
    certificate,
    accounts: ACCOUNTS,
    resource: RESOURCE,
    webClient: {
      clientId: 'quartermaster-web',
      clientSecret: 'web-client-secret-value-0123456789',
      redirectUris: [`${url}/v1/auth/oidc/dev/callback`],
    },
  });
  const table = await createTestTable();
  const stores = dynamoIdentityStores(table.doc, table.tableName);
  // The org and team the provider maps into: the identity admin API checks that a mapping's targets exist.
  const tenancy = new DynamoTenancyRepository(table.doc, table.tableName);
  const created = '2026-01-01T00:00:00.000Z';
  await tenancy.createOrg({ schemaVersion: 1, id: 'acme', slug: 'acme', name: 'Acme', status: 'active', createdAt: created });
  await tenancy.createTeam({
    schemaVersion: 1,
    id: 'vision',
    orgId: 'acme',
    slug: 'vision',
    name: 'Vision',
    status: 'active',
    createdAt: created,
  });
  await stores.providers.put(oidcProvider(idp.issuer, {}, url), { expectNew: true });
  const secrets = new EnvFileSecretStore(join(dir, 'secrets'), {});
  await secrets.put('web-client-secret', 'web-client-secret-value-0123456789');
  const recorder = new Recorder();
  const clock = new TestClock();
  const ids = ulidSource();
  const login: LoginDeps = {
    ...stores,
    audit: recorder,
    events: recorder,
    clock,
    ids,
    firstUserBecomesAdmin: options.firstUserBecomesAdmin ?? false,
  };
  const sessionKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const signer = new LocalKeySigner(sessionKeyPem);
  const sessionKid = String((await signer.publicJwks()).keys[0]?.kid);
  const sessions: SessionDeps = {
    signer,
    refreshTokens: stores.refreshTokens,
    users: stores.users,
    clock,
    ids,
    settings: { issuer: url, audience: 'quartermaster', accessTokenSeconds: 900, refreshTokenSeconds: 3600 },
  };
  const newAuthorizer = (settings: { jwksRefetchWaitSeconds?: number } = {}) =>
    createAuthorizer({
      users: stores.users,
      verifiers: [
        new ApiKeyVerifier({ apiKeys: stores.apiKeys, clock, ids }),
        new SessionTokenVerifier({ issuer: url, audience: 'quartermaster', fetcher: inMemoryJwksFetcher(() => signer.publicJwks()) }),
        new IdpTokenVerifier({
          providers: stores.providers,
          signIn: (provider, profile) => signIn(provider, profile, login),
          fetcher: new SimpleFetcher({ defaultRequestOptions: { ca: certificate.cert, responseTimeout: 5_000 } }),
          ...(settings.jwksRefetchWaitSeconds !== undefined ? { jwksRefetchWaitSeconds: settings.jwksRefetchWaitSeconds } : {}),
        }),
      ],
    });
  const authorizer = newAuthorizer();
  const logger = createLogger({ logLevel: 'INFO' });
  const fixtureEnv = { QM_TABLE_NAME: table.tableName, QM_LOCAL_STACK: 'true', QM_API_BASE_URL: url, QM_SESSION_KMS_KEY_ID: 'test' };
  const edges: ApiEdges = {
    doc: table.doc,
    clock,
    ids,
    logger,
    validateResponses: true,
    events: recorder,
    secrets,
    signer,
    oidc: new OpenIdClientAdapter(),
    ldap: options.ldap ?? new LdaptsDirectory(),
    jobOutput: () => {
      throw new Error('no job output in the identity fixture');
    },
  };
  const handlers = {
    auth: createAuthHandler(
      {
        ...login,
        providers: stores.providers,
        states: stores.states,
        oidc: new OpenIdClientAdapter(),
        secrets,
        sessions,
        throttle: stores.throttle,
      },
      { logger, validateResponses: true },
    ),
    'password-auth': createPasswordAuthHandler(
      {
        ...login,
        providers: stores.providers,
        secrets,
        ldap: options.ldap ?? new LdaptsDirectory(),
        sessions,
        throttle: stores.throttle,
        breakGlass: { enabled: true, secret: async () => 'break-glass-canary-secret-0123456789' },
      },
      { logger, validateResponses: true },
    ),
    sessions: createSessionsHandler(
      { audit: recorder, events: recorder, clock, ids, sessions, throttle: stores.throttle },
      { logger, validateResponses: true },
    ),
    // `me` and `identity` are built by their one composition (access gate, audit middleware, hash-chained log
    // on this table), as Lambda and the local stack build them.
    me: composeApiFunction(groupNamed('me'), fixtureEnv, edges),
    identity: composeApiFunction(groupNamed('identity'), fixtureEnv, edges),
  };
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: apiPort,
    groups: API_ROUTE_GROUPS.filter((group) => group.name in handlers),
    loadHandler: async (group) => handlers[group.name as keyof typeof handlers],
    authorizer: (event) => authorizer(event),
  });
  return {
    idp,
    ca: certificate.cert,
    stores,
    recorder,
    clock,
    server,
    url,
    login,
    sessions,
    secrets,
    sessionKey: { kid: sessionKid, privateKeyPem: sessionKeyPem },
    authorizer,
    newAuthorizer,
    stop: async () => {
      await server.close();
      await idp.close();
    },
  };
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs `header.payload` with RS256 (the IdP's key, or any other). */
export function mintRs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKeyPem: string): string {
  const input = `${b64({ alg: 'RS256', ...header })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

/** The classic confusion attack: HS256 "signed" with the RSA public key as the HMAC secret. */
export function mintHs256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Claims a valid dev-IdP access token for `sub` would carry, `exp` 10 minutes out. */
export function accessClaims(idp: DevIdp, sub: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: idp.issuer,
    sub,
    aud: RESOURCE,
    client_id: 'quartermaster-cli',
    scope: 'api',
    iat: now,
    exp: now + 600,
    jti: `t-${now}-${Math.random()}`,
    realm_access: { roles: ['qm-researchers'] },
    ...extra,
  };
}

/** Calls the authorizer the way API Gateway would for `Authorization: Bearer <token>`. */
export async function authorize(authorizer: IdentityFixture['authorizer'], token: string) {
  return authorizer({ headers: { authorization: `Bearer ${token}` } } as never);
}

const groupNamed = (name: string) => {
  const group = API_ROUTE_GROUPS.find((candidate) => candidate.name === name);
  if (!group) throw new Error(`no route group ${name}`);
  return group;
};
