import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdpTokens } from '#scripts/local/dev-idp-login';
import { authorize, startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/** API keys end to end: created through the real route, used through the authorizer, revoked, expired. */
let fx: IdentityFixture;
let raeToken = '';
let adaToken = '';

beforeAll(async () => {
  fx = await startIdentityFixture();
  raeToken = (await devIdpTokens({ issuer: fx.idp.issuer, username: 'rae', password: 'rae-pw', ca: fx.ca })).accessToken;
  adaToken = (await devIdpTokens({ issuer: fx.idp.issuer, username: 'ada', password: 'ada-pw', ca: fx.ca })).accessToken;
});
afterAll(async () => fx?.stop());

const call = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${fx.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const create = (token: string, body: unknown) => call('/v1/me/api-keys', token, { method: 'POST', body: JSON.stringify(body) });

describe('API keys', () => {
  it('shows the key once, stores only its hash, and lists it without the key', async () => {
    const response = await create(raeToken, { name: 'ci', scopes: ['job.submit', 'job.view.own'], expiresInDays: 30 });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; key: string; hint: string; status: string };
    expect(created.key).toMatch(/^qm_[A-Za-z0-9_-]{43}$/);
    expect(created.status).toBe('active');
    const listed = await (await call('/v1/me/api-keys', raeToken)).text();
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);
    const me = (await (await call('/v1/me', raeToken)).json()) as { id: string };
    const stored = await fx.stores.apiKeys.listByOwner(me.id);
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(created.key);
  });

  it('authenticates with the key: owner permissions ∩ scopes, and records the last-used time', async () => {
    const created = (await (await create(raeToken, { name: 'scoped', scopes: ['job.view.own'] })).json()) as { id: string; key: string };
    const me = await call('/v1/me', created.key);
    expect(me.status).toBe(200);
    const body = (await me.json()) as { authMethod: string; scopes: string[]; permissions: string[] };
    expect(body).toMatchObject({ authMethod: 'api_key', scopes: ['job.view.own'], permissions: ['job.view.own'] });
    // A scope outside the key is refused even though the owner holds it.
    expect((await create(created.key, { name: 'nested', scopes: ['job.view.own'] })).status).toBe(403);
    const listed = (await (await call('/v1/me/api-keys', raeToken)).json()) as { items: { id: string; lastUsedAt?: string }[] };
    expect(listed.items.find((item) => item.id === created.id)?.lastUsedAt).toBeDefined();
  });

  it('refuses scopes the owner does not hold', async () => {
    const response = await create(raeToken, { name: 'greedy', scopes: ['admin.config'] });
    expect(response.status).toBe(403);
  });

  it('refuses a revoked key', async () => {
    const created = (await (await create(raeToken, { name: 'temp', scopes: ['job.view.own'] })).json()) as { id: string; key: string };
    expect((await authorize(fx.newAuthorizer(), created.key)).isAuthorized).toBe(true);
    expect((await call(`/v1/me/api-keys/${created.id}`, raeToken, { method: 'DELETE' })).status).toBe(204);
    expect((await authorize(fx.newAuthorizer(), created.key)).isAuthorized).toBe(false);
    // Nobody else can revoke it (and a second revoke by its owner still answers 204: it stays revoked).
    expect((await call(`/v1/me/api-keys/${created.id}`, adaToken, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses an expired key', async () => {
    const created = (await (await create(raeToken, { name: 'short', scopes: ['job.view.own'], expiresInDays: 1 })).json()) as {
      key: string;
    };
    fx.clock.offsetMs = 2 * 86_400_000;
    try {
      expect((await authorize(fx.newAuthorizer(), created.key)).isAuthorized).toBe(false);
    } finally {
      fx.clock.offsetMs = 0;
    }
  });

  it.each([
    ['no prefix', 'Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXhmb28'],
    ['prefix only', 'qm_'],
    ['too short', 'qm_abc'],
    ['wrong alphabet', `qm_${'!'.repeat(43)}`],
    ['well-formed but unknown', `qm_${'A'.repeat(43)}`],
  ])('refuses a malformed or unknown key: %s', async (_name, key) => {
    expect((await authorize(fx.newAuthorizer(), key)).isAuthorized).toBe(false);
  });
});

describe('identity-provider admin API (secrets are write-only)', () => {
  it('stores a client secret outside the table and never returns it', async () => {
    const secret = 'idp-client-secret-canary-41c2';
    const body = {
      type: 'oidc',
      id: 'okta',
      displayName: 'Okta',
      defaultOrgId: 'acme',
      issuer: 'https://okta.example.com',
      clientId: 'qm',
      clientSecret: secret,
    };
    const created = await call('/v1/admin/identity-providers', adaToken, { method: 'POST', body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ id: 'okta', secretSet: true });
    const stored = await fx.stores.providers.get('okta');
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored?.type === 'oidc' ? await fx.secrets.get(stored.clientSecretRef ?? '') : undefined).toBe(secret);
    expect((await (await call('/v1/admin/identity-providers', adaToken)).text()).includes(secret)).toBe(false);
    expect((await call('/v1/admin/identity-providers', raeToken)).status).toBe(403);
    expect((await call('/v1/admin/identity-providers/okta', adaToken, { method: 'DELETE' })).status).toBe(204);
  });
});
