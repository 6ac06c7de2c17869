import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import type { ApiAccess } from '#functions/api/api-access';
import type { ApiEdges } from '#functions/api/api.compositions';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import { ApiKeyVerifier, inMemoryJwksFetcher, SessionTokenVerifier } from '#adapters/jwt/credential.verifier';
import { IdpTokenVerifier } from '#adapters/jwt/idp-token.verifier';
import { LocalKeySigner } from '#adapters/jwt/local-key-signer.client';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { OpenIdClientAdapter } from '#adapters/oidc/oidc-provider.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import type { EventPublisher } from '#domain/events/events.port';
import type { GroupMapping, OidcProvider } from '#domain/identity/identity-provider.schema';
import { signIn, type LoginDeps } from '#domain/identity/login.service';
import { startDevIdp, type DevAccount, type DevIdp } from './dev-idp';
import { DEMO_ORG, DEMO_OTHER_ORG, DEMO_OTHER_TEAM, DEMO_TEAM, DEMO_USERS } from './seed';
import { ensureDevCertificate } from './tls-cert';

/** The resource (access-token audience) of the local API at the dev IdP. */
export const LOCAL_API_RESOURCE = 'urn:quartermaster:api';
export const DEV_PROVIDER_ID = 'dev';
const WEB_CLIENT_ID = 'quartermaster-local';

/**
 * The dev IdP's groups say which org and level a demo account has (`acme-admin`, `globex-admin`, …) and
 * whether it is a platform admin (`platform-admin`), so its mapping places every demo user exactly where
 * the seed does: gus stays globex's admin, only ada administers the platform.
 */
const orgLevelGroup = (orgId: string, level: string): string => `${orgId}-${level}`;
const PLATFORM_ADMIN_GROUP = 'platform-admin';
const DEMO_LEVELS = ['admin', 'lead', 'researcher', 'viewer'] as const;
const DEMO_TEAMS: Record<string, string[]> = { [DEMO_ORG.id]: [DEMO_TEAM.id], [DEMO_OTHER_ORG.id]: [DEMO_OTHER_TEAM.id] };

/** One rule per org and level (teams of that org), plus the platform flag on its own (no org, no level). */
export const DEV_GROUP_MAPPINGS: GroupMapping[] = [
  ...Object.entries(DEMO_TEAMS).flatMap(([orgId, teamIds]) =>
    DEMO_LEVELS.map((level) => ({ group: orgLevelGroup(orgId, level), level, orgId, teamIds, platformAdmin: false })),
  ),
  { group: PLATFORM_ADMIN_GROUP, teamIds: [], platformAdmin: true },
];

/** The web console's public client at the dev IdP (browser code + PKCE). */
export const CONSOLE_CLIENT_ID = 'quartermaster-console';

/** Demo password of a seed user: `<id>-dev-password` (local stack only, printed by `npm run dev`). */
export const demoPassword = (userId: string): string => `${userId}-dev-password`;

export const DEMO_ACCOUNTS: DevAccount[] = DEMO_USERS.map((user) => ({
  id: user.id,
  password: demoPassword(user.id),
  email: user.email,
  name: user.displayName,
  groups: [orgLevelGroup(user.orgId, user.level), ...(user.platformAdmin ? [PLATFORM_ADMIN_GROUP] : [])],
}));

export interface LocalIdentityOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  apiUrl: string;
  /** Keeps the TLS certificate, session key and secrets across runs; default: a temporary folder. */
  dataDir?: string | undefined;
  idpPort?: number | undefined;
  /** Lifetime of the dev IdP's access tokens (default 15 minutes). */
  idpAccessTokenSeconds?: number | undefined;
  /** Where the web console is served: the dev IdP lets it sign in (redirect URI, CORS). */
  consoleUrl?: string | undefined;
  events: EventPublisher;
  /** The access gate and audit log every API function composes (the identity admin API runs behind them). */
  access: ApiAccess;
}

export interface LocalIdentity {
  idp: DevIdp;
  /** PEM of the dev IdP's self-signed certificate: trust it with `ca` (curl: `--cacert`). */
  ca: string;
  caFile: string;
  authorizer: ReturnType<typeof createAuthorizer>;
  /** The identity edges of the API functions' compositions (`ApiEdges`): session signer, secrets, OIDC and LDAP clients. */
  edges: Pick<ApiEdges, 'signer' | 'secrets' | 'oidc' | 'ldap'>;
  stop(): Promise<void>;
}

async function fileOr(path: string, make: () => string): Promise<string> {
  if (existsSync(path)) return readFile(path, 'utf8');
  const value = make();
  await writeFile(path, value, { mode: 0o600 });
  return value;
}

/**
 * Identity for the local stack, with no shortcut: a dev OIDC provider over https registered as provider
 * `dev`, demo users linked to its accounts, sessions signed by a local key, and the same authorizer,
 * sign-in and identity handlers the deployed functions compose.
 */
export async function startLocalIdentity(options: LocalIdentityOptions): Promise<LocalIdentity> {
  const dir = options.dataDir ? join(options.dataDir, 'identity') : await mkdtemp(join(tmpdir(), 'qm-identity-'));
  await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  const certificate = await ensureDevCertificate(join(dir, 'tls'));
  // openid-client uses the global fetch: trust the dev certificate in this process, in addition to the usual CAs.
  tls.setDefaultCACertificates([...new Set([...tls.getCACertificates('default'), certificate.cert])]);
  const secrets = new EnvFileSecretStore(join(dir, 'secrets'));
  const webClientSecret = await fileOr(join(dir, 'secrets', 'dev-idp-client-secret'), () => randomBytes(24).toString('base64url'));
  const sessionKey = await fileOr(join(dir, 'session-key.pem'), () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  const idp = await startDevIdp({
    port: options.idpPort ?? 0,
    ...(options.idpAccessTokenSeconds ? { accessTokenSeconds: options.idpAccessTokenSeconds } : {}),
    certificate,
    accounts: DEMO_ACCOUNTS,
    resource: LOCAL_API_RESOURCE,
    webClient: {
      clientId: WEB_CLIENT_ID,
      clientSecret: webClientSecret,
      redirectUris: [`${options.apiUrl}/v1/auth/oidc/${DEV_PROVIDER_ID}/callback`],
    },
    ...(options.consoleUrl
      ? {
          consoleClient: {
            clientId: CONSOLE_CLIENT_ID,
            redirectUris: [`${options.consoleUrl}/auth/callback`],
            postLogoutRedirectUris: [`${options.consoleUrl}/`],
          },
        }
      : {}),
  });

  const stores = dynamoIdentityStores(options.doc, options.tableName);
  const provider: OidcProvider = {
    schemaVersion: 1,
    id: DEV_PROVIDER_ID,
    type: 'oidc',
    displayName: 'Dev IdP (local stack)',
    // It maps into acme and globex and grants the platform flag: deployment-wide, as only a platform admin may configure.
    scope: 'deployment',
    enabled: true,
    jitProvisioning: true,
    defaultOrgId: 'acme',
    groupMappings: DEV_GROUP_MAPPINGS,
    issuer: idp.issuer,
    clientId: WEB_CLIENT_ID,
    clientSecretRef: 'file:dev-idp-client-secret',
    scopes: ['openid', 'email', 'profile', 'api'],
    audience: LOCAL_API_RESOURCE,
    allowedClientIds: ['quartermaster-cli', CONSOLE_CLIENT_ID],
    accessTokenCheck: 'rfc9068',
    groupsClaim: 'realm_access.roles',
    emailClaim: 'email',
    nameClaim: 'name',
    redirectUri: `${options.apiUrl}/v1/auth/oidc/${DEV_PROVIDER_ID}/callback`,
  };
  // Rewritten at every start: the IdP's port (part of its issuer) may change between runs.
  if (await stores.providers.get(provider.id)) await stores.providers.put(provider, { expectNew: false });
  else await stores.providers.put(provider, { expectNew: true });
  const now = new Date().toISOString();
  for (const user of DEMO_USERS) {
    await stores.identities.link({ providerId: provider.id, subject: `${idp.issuer}#${user.id}`, userId: user.id, createdAt: now });
  }

  const clock = systemClock;
  const ids = ulidSource();
  const audit = options.access.audit;
  const login: LoginDeps = { ...stores, audit, events: options.events, clock, ids, firstUserBecomesAdmin: false };
  const signer = new LocalKeySigner(sessionKey);
  // As the sessions function's env defaults say (QM_SESSION_AUDIENCE), with the local API as issuer.
  const settings = { issuer: options.apiUrl, audience: 'quartermaster' };
  const authorizer = createAuthorizer({
    users: stores.users,
    verifiers: [
      new ApiKeyVerifier({ apiKeys: stores.apiKeys, clock, ids }),
      // The local API is plain http on loopback, so the session JWKS is handed over in memory.
      new SessionTokenVerifier({
        issuer: settings.issuer,
        audience: settings.audience,
        fetcher: inMemoryJwksFetcher(() => signer.publicJwks()),
      }),
      new IdpTokenVerifier({
        providers: stores.providers,
        signIn: (p, profile) => signIn(p, profile, login),
        fetcher: new SimpleFetcher({ defaultRequestOptions: { ca: certificate.cert, responseTimeout: 5_000 } }),
      }),
    ],
  });
  const caFile = join(dir, 'tls', 'dev-cert.pem');
  return {
    idp,
    ca: certificate.cert,
    caFile,
    authorizer,
    // What the sign-in, sessions and identity functions take besides the table, locally: stand-ins for KMS
    // (a local key) and Secrets Manager (files), and the real OIDC and LDAP clients.
    edges: { signer, secrets, oidc: new OpenIdClientAdapter(), ldap: new LdaptsDirectory() },
    stop: () => idp.close(),
  };
}
