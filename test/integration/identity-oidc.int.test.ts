import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdpTokens, signInThroughIdp } from '#scripts/local/dev-idp-login';
import * as keys from '#adapters/dynamodb/table-keys';
import {
  accessClaims,
  authorize,
  mintHs256,
  mintRs256,
  oidcProvider,
  startIdentityFixture,
  type IdentityFixture,
} from '#test-support/identity-fixture';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * OIDC sign-in against a real provider (oidc-provider over https), real aws-jwt-verify and openid-client,
 * DynamoDB Local. Every rejection the identity issue lists has its own test; each mints its token with the
 * IdP's real signing key (unless the point is another key), so only the property under test is wrong.
 */
let fx: IdentityFixture;
let doc: DynamoDBDocumentClient;
let tableName = '';

beforeAll(async () => {
  fx = await startIdentityFixture();
  // The fixture's table: reach it through the stores' document client for tampering tests.
  doc = (fx.stores.users as unknown as { doc: typeof doc }).doc;
  tableName = (fx.stores.users as unknown as { tableName: string }).tableName;
});
afterAll(async () => fx?.stop());

const rs = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  mintRs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt', ...header }, payload, fx.idp.signingKey.privateKeyPem);
const denied = async (token: string) => expect((await authorize(fx.newAuthorizer(), token)).isAuthorized).toBe(false);
const principalOf = async (token: string) => {
  const result = await authorize(fx.newAuthorizer(), token);
  expect(result.isAuthorized).toBe(true);
  return JSON.parse(result.context?.principal ?? '{}') as Record<string, unknown>;
};

describe('access tokens from the dev IdP (the SPA flow: code + PKCE with the provider)', () => {
  it('accepts a real access token, provisions the user just in time and maps nested realm_access.roles', async () => {
    const { accessToken } = await devIdpTokens({ issuer: fx.idp.issuer, username: 'rae', password: 'rae-pw', ca: fx.ca });
    const principal = await principalOf(accessToken);
    expect(principal).toMatchObject({ orgId: 'acme', level: 'researcher', teamIds: ['vision'], authMethod: 'oidc' });
    const link = await fx.stores.identities.get('dev', `${fx.idp.issuer}#rae`);
    expect(link?.userId).toBe(principal.userId);
    expect(fx.recorder.audit.some((e) => e.action === 'auth.login' && e.outcome === 'success' && e.actor === principal.userId)).toBe(true);
  });

  it('re-applies the group mapping at every login (a new token with other groups changes the level)', async () => {
    const first = await principalOf(rs(accessClaims(fx.idp, 'remap', { realm_access: { roles: ['qm-admins'] } })));
    expect(first.level).toBe('admin');
    const second = await principalOf(rs(accessClaims(fx.idp, 'remap', { realm_access: { roles: ['qm-viewers'] } })));
    expect(second).toMatchObject({ userId: first.userId, level: 'viewer', teamIds: [] });
  });

  it('refuses a user no mapping places (no default level), and audits and emits auth.login_failure', async () => {
    await denied(rs(accessClaims(fx.idp, 'nog', { realm_access: { roles: ['unrelated'] } })));
    expect(fx.recorder.events.some((e) => e.type === 'auth.login_failure' && e.data.reason === 'no_mapping')).toBe(true);
    expect(fx.recorder.audit.some((e) => e.outcome === 'failure' && (e.details as { reason?: string }).reason === 'no_mapping')).toBe(true);
  });

  it('refuses a disabled user', async () => {
    const principal = await principalOf(rs(accessClaims(fx.idp, 'soon-disabled')));
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user(String(principal.userId)),
        UpdateExpression: 'SET #s = :d',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':d': 'disabled' },
      }),
    );
    await denied(rs(accessClaims(fx.idp, 'soon-disabled')));
  });

  it('refuses JIT provisioning when the provider does not allow it', async () => {
    await fx.stores.providers.put(oidcProvider(fx.idp.issuer, { id: 'nojit', jitProvisioning: false, audience: 'urn:nojit' }), {
      expectNew: true,
    });
    await denied(rs(accessClaims(fx.idp, 'stranger', { aud: 'urn:nojit' })));
    await fx.stores.providers.delete('nojit');
  });
});

describe('rejected access tokens (each with its own test)', () => {
  it('alg: none', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: fx.idp.signingKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(accessClaims(fx.idp, 'rae'))).toString('base64url')}.`;
    await denied(unsigned);
  });

  it('HS256 signed with the RSA public key as the HMAC secret', async () => {
    await denied(mintHs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt' }, accessClaims(fx.idp, 'rae'), fx.idp.signingKey.publicKeyPem));
  });

  it('unknown kid, and the JWKS is refetched at most once per penalty window', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const authorizer = fx.newAuthorizer({ jwksRefetchWaitSeconds: 60 });
    await authorize(authorizer, rs(accessClaims(fx.idp, 'rae'))); // warm: JWKS fetched once
    const before = fx.idp.hits.get('/jwks') ?? 0;
    for (let i = 0; i < 5; i++) {
      const forged = mintRs256({ kid: `unknown-${i % 2}`, typ: 'at+jwt' }, accessClaims(fx.idp, 'rae'), other);
      expect((await authorize(authorizer, forged)).isAuthorized).toBe(false);
    }
    expect((fx.idp.hits.get('/jwks') ?? 0) - before).toBeLessThanOrEqual(1);
  });

  it('a known kid but another key (signature does not verify)', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await denied(mintRs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt' }, accessClaims(fx.idp, 'rae'), other));
  });

  it('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await denied(rs(accessClaims(fx.idp, 'rae', { iat: now - 7200, exp: now - 3600 })));
  });

  it('not yet valid (nbf in the future)', async () => {
    await denied(rs(accessClaims(fx.idp, 'rae', { nbf: Math.floor(Date.now() / 1000) + 3600 })));
  });

  it('issued in the future (iat)', async () => {
    await denied(rs(accessClaims(fx.idp, 'rae', { iat: Math.floor(Date.now() / 1000) + 3600 })));
  });

  it('wrong issuer', async () => {
    await denied(rs(accessClaims(fx.idp, 'rae', { iss: 'https://evil.example.com' })));
    await denied(rs(accessClaims(fx.idp, 'rae', { iss: `${fx.idp.issuer}/` })));
  });

  it('wrong audience', async () => {
    await denied(rs(accessClaims(fx.idp, 'rae', { aud: 'urn:some-other-api' })));
  });

  it('issued to a client this API does not accept', async () => {
    await denied(rs(accessClaims(fx.idp, 'rae', { client_id: 'someone-elses-app' })));
  });

  it('an ID token where an access token is expected (the real one from the IdP, and a forged look-alike)', async () => {
    const { idToken } = await devIdpTokens({ issuer: fx.idp.issuer, username: 'rae', password: 'rae-pw', ca: fx.ca });
    await denied(idToken ?? '');
    await denied(rs(accessClaims(fx.idp, 'rae', { nonce: 'n-1' })));
    await denied(rs(accessClaims(fx.idp, 'rae'), { typ: 'JWT' }));
  });

  it.each([
    ['two segments', 'a.b'],
    ['four segments', 'a.b.c.d'],
    ['bad JSON header', `${Buffer.from('{"alg":').toString('base64url')}.e30.c2ln`],
    ['bad JSON payload', `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"iss":').toString('base64url')}.c2ln`],
    ['not base64url', 'a$b.c%d.e^f'],
    ['empty', ''],
  ])('malformed: %s', async (_name, token) => {
    await denied(token);
  });

  it('malformed: __proto__ in the payload pollutes nothing and is refused', async () => {
    const payload = `{"__proto__":{"polluted":true},"iss":"${fx.idp.issuer}","sub":"rae","aud":"x","exp":9999999999}`;
    const token = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: fx.idp.signingKey.kid })).toString('base64url')}.${Buffer.from(payload).toString('base64url')}.c2ln`;
    await denied(token);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a token from one provider replayed against another's configuration", async () => {
    // A second configuration of the same issuer for another API: a token minted for the first is refused there.
    await fx.stores.providers.put(
      oidcProvider(fx.idp.issuer, {
        id: 'other-api',
        audience: 'urn:other-api',
        allowedClientIds: ['other-client'],
        clientId: 'other-client',
      }),
      { expectNew: true },
    );
    await fx.stores.providers.put(oidcProvider('https://127.0.0.1:1', { id: 'elsewhere' }), { expectNew: true });
    const rae = await principalOf(rs(accessClaims(fx.idp, 'rae')));
    // Same signature and claims, but the audience belongs to `other-api` and the client to `dev`: no configuration takes it.
    await denied(rs(accessClaims(fx.idp, 'rae', { aud: 'urn:other-api' })));
    // The same subject through the second configuration is another account (`issuer#sub` per provider), never rae's.
    const viaOther = await principalOf(rs(accessClaims(fx.idp, 'rae', { aud: 'urn:other-api', client_id: 'other-client' })));
    expect(viaOther.userId).not.toBe(rae.userId);
    await fx.stores.providers.delete('other-api');
    await fx.stores.providers.delete('elsewhere');
  });
});

describe('server-side OIDC login (state, nonce, PKCE, 10-minute single-use state)', () => {
  const begin = async () => {
    const back = await signInThroughIdp({
      startUrl: `${fx.url}/v1/auth/oidc/dev/login`,
      issuer: fx.idp.issuer,
      username: 'ada',
      password: 'ada-pw',
      ca: fx.ca,
    });
    expect(back.pathname).toBe('/v1/auth/oidc/dev/callback');
    return back;
  };
  const callback = (query: string) => fetch(`${fx.url}/v1/auth/oidc/dev/callback${query}`);

  it('completes: a Quartermaster session the authorizer accepts', async () => {
    const back = await begin();
    const response = await fetch(back);
    expect(response.status).toBe(200);
    const session = (await response.json()) as { accessToken: string; refreshToken: string };
    const principal = await principalOf(session.accessToken);
    expect(principal).toMatchObject({ level: 'admin', authMethod: 'session' });
  });

  it('refuses a replayed callback (state consumed on first use)', async () => {
    const back = await begin();
    expect((await fetch(back)).status).toBe(200);
    const again = await fetch(back);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign-in failed' } });
  });

  it('refuses a missing state', async () => {
    const back = await begin();
    back.searchParams.delete('state');
    expect((await callback(`?${back.searchParams.toString()}`)).status).toBe(401);
  });

  it('refuses an altered state', async () => {
    const back = await begin();
    back.searchParams.set('state', `${back.searchParams.get('state')}x`);
    expect((await callback(`?${back.searchParams.toString()}`)).status).toBe(401);
  });

  it('refuses a state older than 10 minutes', async () => {
    const back = await begin();
    fx.clock.offsetMs = 11 * 60_000;
    try {
      expect((await fetch(back)).status).toBe(401);
    } finally {
      fx.clock.offsetMs = 0;
    }
  });

  it('refuses a wrong nonce (the stored nonce no longer matches the ID token)', async () => {
    const back = await begin();
    const { createHash } = await import('node:crypto');
    const key = keys.loginState(
      createHash('sha256')
        .update(back.searchParams.get('state') ?? '')
        .digest('hex'),
    );
    const stored = await doc.send(new GetCommand({ TableName: tableName, Key: key }));
    await doc.send(new DeleteCommand({ TableName: tableName, Key: key }));
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...stored.Item, nonce: 'not-the-nonce-that-was-sent' } }));
    expect((await fetch(back)).status).toBe(401);
    expect(fx.recorder.audit.some((e) => (e.details as { reason?: string }).reason === 'code_exchange_failed')).toBe(true);
  });
});
