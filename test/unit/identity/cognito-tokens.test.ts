import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdpTokenVerifier } from '#adapters/jwt/idp-token.verifier';
import { CLOCK_SKEW_SECONDS } from '#adapters/jwt/token-rules';
import { builtInCognitoProvider } from '#domain/identity/built-in-providers';
import type { ExternalProfile } from '#domain/identity/group-mapping';
import { mapGroups } from '#domain/identity/group-mapping';
import type { IdentityProvider } from '#domain/identity/identity-provider.schema';
import type { User } from '#domain/users/user.schema';
import { mintRs256 } from '#test-support/identity-fixture';

/**
 * Access tokens of the stack's Cognito user pool through the real aws-jwt-verify (signature, issuer,
 * client id, token use, expiry) and our group mapping. The one stand-in: Cognito's JWKS endpoint is served
 * from memory (no local Cognito exists), so the keys are ours and the tokens are signed like Cognito's.
 */
const POOL = 'eu-west-1_TestPool1';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const CLIENT = 'spa-client-1';
const provider = builtInCognitoProvider({ userPoolId: POOL, clientIds: [CLIENT], orgId: 'acme' });

function keyPair(kid: string): { pem: string; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}
const poolKey = keyPair('cognito-key-1');
const strangerKey = keyPair('cognito-key-1');

function verifierWith(signedIn: ExternalProfile[]) {
  const fetched: string[] = [];
  const verifier = new IdpTokenVerifier({
    providers: { list: async (): Promise<IdentityProvider[]> => [provider] },
    signIn: async (p, profile) => {
      signedIn.push(profile);
      const access = mapGroups(p, profile.groups);
      if (!access) throw new Error('no mapping');
      return {
        schemaVersion: 1,
        id: 'u1',
        email: profile.email ?? 'x@acme.test',
        displayName: 'U',
        orgId: access.orgId,
        level: access.level,
        platformAdmin: false,
        teamIds: [],
        status: 'active',
        createdAt: '',
      } satisfies User;
    },
    // Stand-in for https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json
    fetcher: {
      fetch: async (uri: string) => {
        fetched.push(uri);
        return new TextEncoder().encode(JSON.stringify({ keys: [poolKey.jwk] })).buffer;
      },
    },
  });
  return { verifier, fetched };
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  sub: 'cognito-sub-1',
  client_id: CLIENT,
  token_use: 'access',
  username: 'rae',
  'cognito:groups': ['researcher'],
  iat: now(),
  exp: now() + 300,
  ...extra,
});
const token = (extra: Record<string, unknown> = {}, key = poolKey, header: Record<string, unknown> = {}) =>
  mintRs256({ alg: 'RS256', kid: 'cognito-key-1', typ: 'JWT', ...header }, claims(extra), key.pem);

describe('Cognito access tokens (real aws-jwt-verify; Cognito JWKS served from memory)', () => {
  it('accepts a pool access token, fetching the JWKS at the pool issuer, and maps cognito:groups to the level', async () => {
    const signedIn: ExternalProfile[] = [];
    const { verifier, fetched } = verifierWith(signedIn);
    const identity = await verifier.verify(token());
    expect(identity).toMatchObject({ userId: 'u1', method: 'cognito', user: { level: 'researcher', orgId: 'acme' } });
    expect(fetched).toEqual([`${ISSUER}/.well-known/jwks.json`]);
    expect(signedIn[0]).toMatchObject({
      providerId: 'cognito',
      subject: `${ISSUER}#cognito-sub-1`,
      displayName: 'rae',
      groups: ['researcher'],
    });
  });

  it.each([
    ['an ID token', { token_use: 'id' }],
    ['another app client', { client_id: 'other-client' }],
    ['an expired token (beyond the clock skew)', { exp: now() - CLOCK_SKEW_SECONDS - 30, iat: now() - 400 }],
    ['a token without exp (it would never expire)', { exp: undefined }],
    ['a token issued in the future', { iat: now() + 3600, exp: now() + 7200 }],
    ['a token not valid before a time beyond the clock skew', { nbf: now() + CLOCK_SKEW_SECONDS + 30 }],
    ['another user pool', { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }],
  ])('refuses %s', async (_what, extra) => {
    const signedIn: ExternalProfile[] = [];
    expect(await verifierWith(signedIn).verifier.verify(token(extra))).toBeUndefined();
    expect(signedIn).toEqual([]);
  });

  it('refuses a token whose crit header names an extension (none is understood)', async () => {
    const signedIn: ExternalProfile[] = [];
    const { verifier } = verifierWith(signedIn);
    expect(await verifier.verify(token({}, poolKey, { crit: ['urn:example:ext'], 'urn:example:ext': 1 }))).toBeUndefined();
    expect(await verifier.verify(token())).toMatchObject({ method: 'cognito' });
    expect(signedIn).toHaveLength(1);
  });

  it('refuses a token signed by another key under the same kid', async () => {
    const signedIn: ExternalProfile[] = [];
    expect(await verifierWith(signedIn).verifier.verify(token({}, strangerKey))).toBeUndefined();
    expect(signedIn).toEqual([]);
  });

  it('maps only the level groups: a user in none of them gets no access (the built-in provider has no default level)', () => {
    expect(mapGroups(provider, ['marketing'])).toBeUndefined();
    expect(mapGroups(provider, ['viewer', 'admin'])).toMatchObject({ level: 'admin', orgId: 'acme', platformAdmin: false });
  });
});
