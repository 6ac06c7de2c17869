import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Fetcher } from 'aws-jwt-verify/https';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { IdpTokenVerifier } from '#adapters/jwt/idp-token.verifier';
import { publicJwk } from '#adapters/jwt/jwt-encoding';
import type { ExternalIdentityLink } from '#domain/identity/identity.port';
import type { OidcProvider } from '#domain/identity/identity-provider.schema';
import { signIn, type LoginDeps } from '#domain/identity/login.service';
import type { User } from '#domain/users/user.schema';
import { progress } from './bench-env';
import { round } from './stats';

const ISSUER = 'https://idp.bench.invalid';
const AUDIENCE = 'urn:quartermaster:bench';
const ITERATIONS = Number(process.env.QM_BENCH_AUTHORIZER_ITERATIONS ?? 20_000);

/** Discovery and JWKS served from memory: the figures are CPU only, no network, after the first fetch. */
function memoryFetcher(jwk: Record<string, unknown>): Fetcher {
  const documents: Record<string, unknown> = {
    [`${ISSUER}/.well-known/openid-configuration`]: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` },
    [`${ISSUER}/jwks`]: { keys: [jwk] },
  };
  return {
    fetch: async (uri) => {
      const bytes = Buffer.from(JSON.stringify(documents[uri] ?? {}));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
}

function token(privateKey: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      iss: ISSUER,
      sub: 'rae',
      aud: AUDIENCE,
      client_id: 'bench',
      iat: now,
      exp: now + 3600,
      realm_access: { roles: ['qm-researchers'] },
    }),
  ).toString('base64url');
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

async function perRequestMicros(iterations: number, work: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(500, iterations); i++) await work(); // warm-up (JIT, caches)
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await work();
  return ((performance.now() - start) * 1000) / iterations;
}

/**
 * The authorizer's cost per request with warm caches, divided by a bare `crypto.verify` of the same RS256
 * token in the same run (docs/budgets.md: JWT verification with cached JWKS, results cached briefly). Two
 * figures: a repeated token (the in-memory result cache answers) and a fresh verification each time
 * (result cache off, JWKS cached: aws-jwt-verify, claim checks, the login path over in-memory stores).
 */
export async function run(): Promise<Record<string, unknown>> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicJwk(publicKey);
  const kid = String(jwk.kid);
  const jwt = token(privateKey, kid);
  const [h = '', p = '', s = ''] = jwt.split('.');
  const input = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');

  const user: User = {
    schemaVersion: 1,
    id: 'rae',
    email: 'rae@bench.invalid',
    displayName: 'Rae',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: ['vision'],
    status: 'active',
    createdAt: '2026-01-01T00:00:00Z',
  };
  const link: ExternalIdentityLink = { providerId: 'bench', subject: `${ISSUER}#rae`, userId: 'rae', createdAt: user.createdAt };
  const login: LoginDeps = {
    users: { get: async () => user, create: async () => true, save: async () => true },
    identities: { get: async () => link, link: async () => link },
    bootstrap: { claimFirstAdmin: async () => false, firstAdmin: async () => undefined },
    audit: { append: async () => undefined },
    events: { publish: async () => undefined },
    clock: { now: () => new Date() },
    ids: { next: () => '01J00000000000000000000000' },
    firstUserBecomesAdmin: false,
  };
  const provider: OidcProvider = {
    schemaVersion: 1,
    id: 'bench',
    type: 'oidc',
    displayName: 'Bench',
    enabled: true,
    scope: 'org',
    jitProvisioning: true,
    defaultOrgId: 'acme',
    groupMappings: [{ group: 'qm-researchers', level: 'researcher', teamIds: ['vision'], platformAdmin: false }],
    issuer: ISSUER,
    clientId: 'bench',
    scopes: ['openid'],
    audience: AUDIENCE,
    allowedClientIds: [],
    accessTokenCheck: 'rfc9068',
    groupsClaim: 'realm_access.roles',
    emailClaim: 'email',
    nameClaim: 'name',
  };
  const verifiers = () => [
    new IdpTokenVerifier({
      providers: { list: async () => [provider] },
      signIn: (pr, profile) => signIn(pr, profile, login),
      fetcher: memoryFetcher(jwk),
    }),
  ];
  const event = { headers: { authorization: `Bearer ${jwt}` } } as never;
  const cached = createAuthorizer({ verifiers: verifiers(), users: login.users });
  const uncached = createAuthorizer({ verifiers: verifiers(), users: login.users, resultCacheMs: 0 });
  if (!(await cached(event)).isAuthorized || !(await uncached(event)).isAuthorized) throw new Error('bench token was not accepted');

  progress(`authorizer: ${ITERATIONS} iterations each`);
  const bareVerifyUs = await perRequestMicros(ITERATIONS, () => {
    if (!verify('sha256', input, publicKey, signature)) throw new Error('bad signature');
  });
  const warmResultCacheUs = await perRequestMicros(ITERATIONS, () => cached(event));
  const fullVerificationUs = await perRequestMicros(Math.ceil(ITERATIONS / 4), () => uncached(event));
  return {
    method:
      'in process, RS256 2048-bit token; JWKS and discovery cached (served from memory), in-memory user and identity stores; mean µs per request after warm-up',
    iterations: ITERATIONS,
    bareCryptoVerifyUs: round(bareVerifyUs, 2),
    warmResultCache: { perRequestUs: round(warmResultCacheUs, 2), ratioToBareVerify: round(warmResultCacheUs / bareVerifyUs, 2) },
    fullVerification: { perRequestUs: round(fullVerificationUs, 2), ratioToBareVerify: round(fullVerificationUs / bareVerifyUs, 2) },
  };
}
