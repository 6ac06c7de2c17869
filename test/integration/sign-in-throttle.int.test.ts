import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { createLogger } from '#adapters/logging/logger';
import { OpenIdClientAdapter } from '#adapters/oidc/oidc-provider.client';
import { SIGN_IN_LIMITS } from '#domain/identity/sign-in-throttle';
import { createAuthHandler } from '#functions/api/auth/auth.app';
import { authRoutes } from '#functions/api/auth/auth.routes';
import { createPasswordAuthHandler } from '#functions/api/password-auth/password-auth.app';
import { passwordAuthRoutes } from '#functions/api/password-auth/password-auth.routes';
import { createSessionsHandler } from '#functions/api/sessions/sessions.app';
import { sessionsRoutes } from '#functions/api/sessions/sessions.routes';
import type { ApiHandler } from '#http/api-handler';
import { routeKey, type RouteDeclaration } from '#http/route';
import { signInThroughIdp } from '#scripts/local/dev-idp-login';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/**
 * Sign-in throttling shared across Lambda instances, on every sign-in route: two instances of each sign-in
 * function (as two warm Lambdas would be) on one DynamoDB Local table, the attempts alternating between them.
 * Break-glass is the password account under test (its secret is real in the fixture); OIDC runs against the
 * fixture's real dev IdP; refresh tokens come from real OIDC sign-ins. Each case uses its own source address.
 */
let fx: IdentityFixture;
let instances: ApiHandler[] = [];
let authInstances: ApiHandler[] = [];
let sessionInstances: ApiHandler[] = [];
const SECRET = 'break-glass-canary-secret-0123456789';

beforeAll(async () => {
  fx = await startIdentityFixture();
  const logger = createLogger({ logLevel: 'SILENT' });
  const throttle = fx.stores.throttle;
  const build = () =>
    createPasswordAuthHandler(
      {
        ...fx.login,
        providers: fx.stores.providers,
        secrets: fx.secrets,
        ldap: new LdaptsDirectory(),
        sessions: fx.sessions,
        throttle,
        breakGlass: { enabled: true, secret: async () => SECRET },
      },
      { logger },
    );
  instances = [build(), build()];
  const buildAuth = () =>
    createAuthHandler(
      {
        ...fx.login,
        providers: fx.stores.providers,
        states: fx.stores.states,
        oidc: new OpenIdClientAdapter(),
        secrets: fx.secrets,
        sessions: fx.sessions,
        throttle,
      },
      { logger },
    );
  authInstances = [buildAuth(), buildAuth()];
  const { audit, events, clock, ids } = fx.login;
  const buildSessions = () => createSessionsHandler({ audit, events, clock, ids, sessions: fx.sessions, throttle }, { logger });
  sessionInstances = [buildSessions(), buildSessions()];
});
afterAll(async () => fx?.stop());
// The first waits are 1 s after the latest failure: time stands still within a case so that none of them
// ends between a failure and the attempt that must be held (a case that waits moves the clock itself).
beforeEach(() => {
  fx.clock.frozenAtMs = Date.now();
});
afterEach(() => {
  fx.clock.frozenAtMs = undefined;
});

/** One request to the next of two instances, from `sourceIp`. */
let turns = 0;
async function call(
  handlers: readonly ApiHandler[],
  route: RouteDeclaration,
  request: { sourceIp: string; body?: unknown; query?: string; params?: Record<string, string> },
) {
  const params = request.params ?? {};
  const event = buildHttpApiV2Event({
    method: route.method,
    rawPath: route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? ''),
    ...(request.query ? { rawQueryString: request.query } : {}),
    headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    routeKey: routeKey(route),
    pathParameters: params,
    sourceIp: request.sourceIp,
  });
  const handler = handlers[(turns += 1) % handlers.length];
  if (!handler) throw new Error('no instance');
  const result = await handler(event, {} as Context);
  return {
    status: result.statusCode,
    retryAfter: result.headers['retry-after'],
    body: JSON.parse(result.body ?? '{}') as { error?: { code: string }; refreshToken?: string },
  };
}

const routeOf = (routes: readonly RouteDeclaration[], operationId: string): RouteDeclaration => {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route;
};

let attempts = 0;
async function breakGlass(secret: string, sourceIp: string) {
  const route = passwordAuthRoutes.find((r) => r.operationId === 'breakGlassLogin');
  if (!route) throw new Error('no break-glass route');
  const event = buildHttpApiV2Event({
    method: 'POST',
    rawPath: route.path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret }),
    routeKey: routeKey(route),
    sourceIp,
  });
  const handler = instances[(attempts += 1) % 2];
  if (!handler) throw new Error('no instance');
  const result = await handler(event, {} as Context);
  return {
    status: result.statusCode,
    retryAfter: result.headers['retry-after'],
    body: JSON.parse(result.body ?? '{}') as { error?: { code: string } },
  };
}

describe('sign-in throttling (DynamoDB counters shared by two handler instances)', () => {
  it(`answers 429 with Retry-After after ${SIGN_IN_LIMITS.freeAccountFailures} failures of one account, audited, without trying the secret`, async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.freeAccountFailures; i++)
      expect((await breakGlass('wrong-secret-value-000000', '10.0.0.1')).status).toBe(401);
    const auditedBefore = fx.recorder.audit.length;
    // Even the right secret is not tried while the account waits.
    const throttled = await breakGlass(SECRET, '10.0.0.1');
    expect(throttled).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    const entry = fx.recorder.audit.slice(auditedBefore).find((e) => (e.details as { reason?: string }).reason === 'throttled');
    expect(entry).toMatchObject({ action: 'auth.login', outcome: 'failure', sourceIp: '10.0.0.1' });
  });

  it('lets the account in once it has waited, and a success clears its count', async () => {
    fx.clock.offsetMs = 3_000;
    try {
      expect((await breakGlass(SECRET, '10.0.0.1')).status).toBe(200);
      expect((await breakGlass('wrong-secret-value-000000', '10.0.0.1')).status).toBe(401);
      expect((await breakGlass(SECRET, '10.0.0.1')).status).toBe(200);
    } finally {
      fx.clock.offsetMs = 0;
    }
  });

  it(`caps one source address at ${SIGN_IN_LIMITS.maxSourceFailures} failures, whichever accounts it tries`, async () => {
    const source = '10.0.0.2';
    for (let i = 0; i < SIGN_IN_LIMITS.maxSourceFailures; i++) {
      // Spread over many usernames, so no account reaches its own limit: only the source cap can refuse.
      const route = passwordAuthRoutes.find((r) => r.operationId === 'ldapLogin');
      if (!route) throw new Error('no LDAP route');
      const event = buildHttpApiV2Event({
        method: 'POST',
        rawPath: route.path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `guess-${i}`, password: 'wrong-password' }),
        routeKey: routeKey(route),
        sourceIp: source,
      });
      expect((await instances[i % 2]?.(event, {} as Context))?.statusCode).toBe(401);
    }
    const capped = await breakGlass(SECRET, source);
    expect(capped.status).toBe(429);
    expect(Number(capped.retryAfter)).toBeGreaterThan(SIGN_IN_LIMITS.sourceWindowSeconds - 60);
    // Another address is unaffected.
    expect((await breakGlass(SECRET, '10.0.0.3')).status).toBe(200);
  });
});

describe('OIDC sign-in and refresh under the same limits (two instances of each function)', () => {
  const login = routeOf(authRoutes, 'oidcLogin');
  const callback = routeOf(authRoutes, 'oidcCallback');
  const refresh = routeOf(sessionsRoutes, 'refreshSession');
  /** Signs in at the dev IdP (started through the fixture's server) and returns the callback query it sends back. */
  const idpCallback = async (username: string): Promise<string> => {
    const back = await signInThroughIdp({
      startUrl: `${fx.url}/v1/auth/oidc/dev/login`,
      issuer: fx.idp.issuer,
      username,
      password: `${username}-pw`,
      ca: fx.ca,
    });
    return back.searchParams.toString();
  };
  const complete = (query: string, sourceIp: string) => call(authInstances, callback, { sourceIp, query, params: { provider: 'dev' } });
  const redeem = (refreshToken: string, sourceIp: string) => call(sessionInstances, refresh, { sourceIp, body: { refreshToken } });
  const unknownRefreshToken = (i: number) => `qmr_${String(i).padStart(43, 'x')}`;

  it(`caps a source address at ${SIGN_IN_LIMITS.maxSourceFailures} failed callbacks: then its login, callback and refresh get 429`, async () => {
    const source = '10.1.0.1';
    for (let i = 0; i < SIGN_IN_LIMITS.maxSourceFailures; i++)
      expect((await complete(`code=guess&state=guessed-state-${i}`, source)).status).toBe(401);
    const query = await idpCallback('vic');
    const capped = await complete(query, source);
    expect(capped).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(capped.retryAfter)).toBeGreaterThan(SIGN_IN_LIMITS.sourceWindowSeconds - 60);
    expect((await call(authInstances, login, { sourceIp: source, params: { provider: 'dev' } })).status).toBe(429);
    expect((await redeem(unknownRefreshToken(0), source)).status).toBe(429);
    // The capped attempt tried nothing: the same callback, from another address, still completes.
    const elsewhere = await complete(query, '10.1.0.2');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.refreshToken).toMatch(/^qmr_/);
  });

  it(`backs off an external subject after ${SIGN_IN_LIMITS.freeAccountFailures} refused callbacks, whatever instance answers`, async () => {
    const source = '10.1.0.3';
    // `nog` authenticates at the IdP, but no group mapping places them: refused once the code is exchanged.
    for (let i = 0; i < SIGN_IN_LIMITS.freeAccountFailures; i++)
      expect((await complete(await idpCallback('nog'), source)).status).toBe(401);
    const throttled = await complete(await idpCallback('nog'), source);
    expect(throttled).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(fx.recorder.audit.at(-1)).toMatchObject({
      action: 'auth.login',
      outcome: 'failure',
      sourceIp: source,
      details: { reason: 'throttled' },
    });
    // Another subject from the same address is not held.
    expect((await complete(await idpCallback('vic'), source)).status).toBe(200);
  });

  it(`caps a source address at ${SIGN_IN_LIMITS.maxSourceFailures} failed refreshes; another address refreshes the same token`, async () => {
    const signedIn = await complete(await idpCallback('vic'), '10.1.0.4');
    const token = String(signedIn.body.refreshToken);
    const source = '10.1.0.5';
    for (let i = 0; i < SIGN_IN_LIMITS.maxSourceFailures; i++) expect((await redeem(unknownRefreshToken(i), source)).status).toBe(401);
    const capped = await redeem(token, source);
    expect(capped).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect((await redeem(token, '10.1.0.6')).status).toBe(200);
  });

  it(`backs off a refresh-token family after ${SIGN_IN_LIMITS.freeAccountFailures} refused redemptions, not the user's other sessions`, async () => {
    const source = '10.1.0.7';
    const first = String((await complete(await idpCallback('vic'), source)).body.refreshToken);
    const other = String((await complete(await idpCallback('vic'), source)).body.refreshToken);
    const next = String((await redeem(first, source)).body.refreshToken);
    // Replays of the spent token: the first revokes the family, each one counts against it.
    for (let i = 0; i < SIGN_IN_LIMITS.freeAccountFailures; i++) expect((await redeem(first, source)).status).toBe(401);
    const throttled = await redeem(next, source);
    expect(throttled).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await redeem(other, source)).status).toBe(200);
  });
});
