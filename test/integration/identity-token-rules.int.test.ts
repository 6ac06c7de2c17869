import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_SECONDS } from '#adapters/jwt/token-rules';
import { accessClaims, authorize, mintRs256, startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/**
 * The token rules aws-jwt-verify leaves to the caller (issue: tokens without `exp`, `crit` headers,
 * `nbf`/`iat` in the future), through the real authorizer: access tokens signed with the dev IdP's real
 * signing key (served over https by oidc-provider, verified by aws-jwt-verify against its JWKS) and
 * session tokens signed with the fixture's session key (verified against its JWKS). Each token differs
 * from an accepted one only in the property under test; an accepted control sits next to every refusal.
 */
let fx: IdentityFixture;
let raeId = '';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const withoutExp = (claims: Record<string, unknown>): Record<string, unknown> => {
  const { exp: _dropped, ...rest } = claims;
  return rest;
};
const accessToken = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  mintRs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt', ...header }, claims, fx.idp.signingKey.privateKeyPem);
const sessionClaims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: fx.url,
  aud: 'quartermaster',
  sub: raeId,
  token_use: 'session',
  amr: ['ldap'],
  iat: nowSeconds(),
  nbf: nowSeconds(),
  exp: nowSeconds() + 900,
  jti: `s-${Math.random()}`,
  ...extra,
});
const sessionToken = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  mintRs256({ kid: fx.sessionKey.kid, typ: 'JWT', ...header }, claims, fx.sessionKey.privateKeyPem);
const accepted = async (token: string) => (await authorize(fx.newAuthorizer(), token)).isAuthorized;

beforeAll(async () => {
  fx = await startIdentityFixture();
  const result = await authorize(fx.newAuthorizer(), accessToken(accessClaims(fx.idp, 'rae')));
  raeId = String((JSON.parse(result.context?.principal ?? '{}') as { userId?: string }).userId);
});
afterAll(async () => fx?.stop());

describe.each([
  ['an OIDC access token (dev IdP key)', () => accessClaims(fx.idp, 'rae'), accessToken],
  ['a Quartermaster session token', () => sessionClaims(), sessionToken],
] as const)('%s', (_kind, claims, mint) => {
  it('is accepted as minted (the control every refusal below differs from in one property)', async () => {
    expect(await accepted(mint(claims()))).toBe(true);
  });

  it('without exp is refused (it would never expire)', async () => {
    expect(await accepted(mint(withoutExp(claims())))).toBe(false);
  });

  it.each([
    ['an unknown extension', { crit: ['urn:example:unknown'], 'urn:example:unknown': true }],
    ['b64 (RFC 7797, not implemented)', { crit: ['b64'], b64: true }],
    ['a registered parameter (exp), which crit must never list', { crit: ['exp'] }],
    ['an empty list', { crit: [] }],
    ['a string instead of a list', { crit: 'urn:example:unknown' }],
  ])('with a crit header naming %s is refused', async (_what, header) => {
    expect(await accepted(mint(claims(), header))).toBe(false);
  });

  it(`with nbf more than ${CLOCK_SKEW_SECONDS} s ahead is refused; within the skew it is accepted`, async () => {
    expect(await accepted(mint({ ...claims(), nbf: nowSeconds() + CLOCK_SKEW_SECONDS + 30 }))).toBe(false);
    expect(await accepted(mint({ ...claims(), nbf: nowSeconds() + CLOCK_SKEW_SECONDS - 30 }))).toBe(true);
  });

  it(`with iat more than ${CLOCK_SKEW_SECONDS} s ahead is refused; within the skew it is accepted`, async () => {
    expect(await accepted(mint({ ...claims(), iat: nowSeconds() + CLOCK_SKEW_SECONDS + 30 }))).toBe(false);
    expect(await accepted(mint({ ...claims(), iat: nowSeconds() + CLOCK_SKEW_SECONDS - 30 }))).toBe(true);
  });

  it(`expired by more than ${CLOCK_SKEW_SECONDS} s is refused; expired within the skew it is still accepted`, async () => {
    expect(await accepted(mint({ ...claims(), iat: nowSeconds() - 600, exp: nowSeconds() - CLOCK_SKEW_SECONDS - 30 }))).toBe(false);
    expect(await accepted(mint({ ...claims(), iat: nowSeconds() - 600, exp: nowSeconds() - CLOCK_SKEW_SECONDS + 30 }))).toBe(true);
  });
});
