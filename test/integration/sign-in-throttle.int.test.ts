import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdaptsDirectory } from '#adapters/ldap/ldap-directory.client';
import { createLogger } from '#adapters/logging/logger';
import { SIGN_IN_LIMITS } from '#domain/identity/sign-in-throttle';
import { createPasswordAuthHandler } from '#functions/api/password-auth/password-auth.app';
import { passwordAuthRoutes } from '#functions/api/password-auth/password-auth.routes';
import { routeKey } from '#http/route';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/**
 * Sign-in throttling shared across Lambda instances: two instances of the password sign-in function (as two
 * warm Lambdas would be) on one DynamoDB Local table, the attempts alternating between them. Break-glass is
 * the account under test (its secret is real in the fixture); each case uses its own source address.
 */
let fx: IdentityFixture;
let instances: ReturnType<typeof createPasswordAuthHandler>[] = [];
const SECRET = 'break-glass-canary-secret-0123456789';

beforeAll(async () => {
  fx = await startIdentityFixture();
  const logger = createLogger({ logLevel: 'SILENT' });
  const build = () =>
    createPasswordAuthHandler(
      {
        ...fx.login,
        providers: fx.stores.providers,
        secrets: fx.secrets,
        ldap: new LdaptsDirectory(),
        sessions: fx.sessions,
        throttle: fx.stores.throttle,
        breakGlass: { enabled: true, secret: async () => SECRET },
      },
      { logger },
    );
  instances = [build(), build()];
});
afterAll(async () => fx?.stop());

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
