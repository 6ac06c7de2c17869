import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessClaims, authorize, mintRs256, startIdentityFixture, type IdentityFixture } from '#test-support/identity-fixture';

/** Opt-in "first user becomes admin" (docs/architecture.md#identity): exactly one user wins, and keeps admin at later logins. */
let fx: IdentityFixture;

beforeAll(async () => {
  fx = await startIdentityFixture({ firstUserBecomesAdmin: true });
});
afterAll(async () => fx?.stop());

const principalOf = async (sub: string) => {
  const token = mintRs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt' }, accessClaims(fx.idp, sub), fx.idp.signingKey.privateKeyPem);
  const result = await authorize(fx.newAuthorizer(), token);
  expect(result.isAuthorized).toBe(true);
  return JSON.parse(result.context?.principal ?? '{}') as { userId: string; level: string; platformAdmin: boolean };
};

describe('first user becomes admin (opt-in)', () => {
  it('makes only the first provisioned user a platform admin, and the mapping does not demote them later', async () => {
    const [first, second] = await Promise.all([principalOf('founder'), principalOf('second')]);
    const admins = [first, second].filter((p) => p.platformAdmin && p.level === 'admin');
    expect(admins).toHaveLength(1);
    const winner = admins[0] === first ? 'founder' : 'second';
    expect(await principalOf(winner)).toMatchObject({ level: 'admin', platformAdmin: true });
    expect(await principalOf(winner === 'founder' ? 'second' : 'founder')).toMatchObject({ level: 'researcher', platformAdmin: false });
    expect(await principalOf('third')).toMatchObject({ level: 'researcher', platformAdmin: false });
  });
});
