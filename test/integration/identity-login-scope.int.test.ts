import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityProvider } from '#domain/identity/identity-provider.schema';
import type { User } from '#domain/users/user.schema';
import { DEMO_ACCOUNTS, DEV_GROUP_MAPPINGS } from '#scripts/local/local-identity';
import { DEMO_USERS } from '#scripts/local/seed';
import {
  accessClaims,
  authorize,
  mintRs256,
  oidcProvider,
  startIdentityFixture,
  type IdentityFixture,
} from '#test-support/identity-fixture';

/**
 * A sign-in never moves a user to another org, and a mapping raises no one beyond what its provider may
 * grant (docs/permissions.md#tenancy), through the real authorizer and login service, with access tokens signed by the dev
 * IdP's real key (oidc-provider over https), against DynamoDB Local. Each provider below is a separate
 * audience of the same issuer, as the admin API would allow.
 */
let fx: IdentityFixture;

beforeAll(async () => {
  fx = await startIdentityFixture();
});
afterAll(async () => fx?.stop());

const rs = (payload: Record<string, unknown>) =>
  mintRs256({ kid: fx.idp.signingKey.kid, typ: 'at+jwt' }, payload, fx.idp.signingKey.privateKeyPem);
/** A token of provider `audience` for `sub`, carrying `roles`. */
const tokenFor = (audience: string, sub: string, roles: readonly string[]) =>
  rs(accessClaims(fx.idp, sub, { aud: audience, client_id: 'any-client', realm_access: { roles } }));

async function storeProvider(id: string, overrides: Partial<IdentityProvider>): Promise<string> {
  const audience = `urn:${id}`;
  // Written straight to the table: what stored data says, whatever the admin API would have accepted.
  await fx.stores.providers.put(oidcProvider(fx.idp.issuer, { id, audience, allowedClientIds: [], ...overrides }), {
    expectNew: true,
  });
  return audience;
}

async function linkedUser(providerId: string, user: Omit<User, 'schemaVersion' | 'status' | 'createdAt'>): Promise<User> {
  const stored: User = { schemaVersion: 1, status: 'active', createdAt: '2026-01-01T00:00:00.000Z', authzVersion: 1, ...user };
  expect(await fx.stores.users.create(stored)).toBe(true);
  await fx.stores.identities.link({ providerId, subject: `${fx.idp.issuer}#${user.id}`, userId: user.id, createdAt: stored.createdAt });
  return stored;
}

const authorized = async (token: string) => {
  const result = await authorize(fx.newAuthorizer(), token);
  expect(result.isAuthorized).toBe(true);
  return JSON.parse(result.context?.principal ?? '{}') as Record<string, unknown>;
};
const refusedWith = async (token: string, reason: string) => {
  const before = fx.recorder.audit.length;
  expect((await authorize(fx.newAuthorizer(), token)).isAuthorized).toBe(false);
  const failures = fx.recorder.audit.slice(before).filter((entry) => entry.action === 'auth.login' && entry.outcome === 'failure');
  expect(failures.map((entry) => (entry.details as { reason?: string }).reason)).toContain(reason);
};

describe('the dev IdP mapping places every demo user where the seed does', () => {
  let audience = '';
  beforeAll(async () => {
    audience = await storeProvider('demo', { scope: 'deployment', groupMappings: DEV_GROUP_MAPPINGS, defaultOrgId: 'acme' });
    for (const demo of DEMO_USERS) {
      const { id, email, displayName, orgId, level, platformAdmin, teamIds } = demo;
      await linkedUser('demo', { id: `demo-${id}`, email, displayName, orgId, level, platformAdmin, teamIds });
    }
  });

  it.each(DEMO_USERS.map((user) => [user.id, user] as const))('%s keeps org, level, teams and platform flag', async (id, seeded) => {
    const groups = DEMO_ACCOUNTS.find((account) => account.id === id)?.groups ?? [];
    const principal = await authorized(tokenFor(audience, `demo-${id}`, groups));
    expect(principal).toMatchObject({
      userId: `demo-${id}`,
      orgId: seeded.orgId,
      level: seeded.level,
      platformAdmin: seeded.platformAdmin,
      teamIds: seeded.teamIds,
    });
    expect(await fx.stores.users.get(`demo-${id}`)).toMatchObject({ orgId: seeded.orgId, platformAdmin: seeded.platformAdmin });
  });

  it('gus in particular: globex admin, not a platform admin', async () => {
    const principal = await authorized(tokenFor(audience, 'demo-gus', ['globex-admin']));
    expect(principal).toMatchObject({ orgId: 'globex', level: 'admin', platformAdmin: false, teamIds: ['robotics'] });
  });
});

describe('a sign-in never moves a user to another org', () => {
  it("refuses the old dev mapping that sent gus to acme as platform admin, and leaves gus's record as it was", async () => {
    const audience = await storeProvider('legacy-dev', {
      scope: 'deployment',
      defaultOrgId: 'acme',
      groupMappings: [{ group: 'qm-admins', level: 'admin', teamIds: ['vision'], platformAdmin: true }],
    });
    const gus = await linkedUser('legacy-dev', {
      id: 'legacy-gus',
      email: 'gus@globex.test',
      displayName: 'Gus',
      orgId: 'globex',
      level: 'admin',
      platformAdmin: false,
      teamIds: ['robotics'],
    });
    await refusedWith(tokenFor(audience, 'legacy-gus', ['qm-admins']), 'org_mismatch');
    expect(await fx.stores.users.get('legacy-gus')).toEqual(gus);
  });

  it("refuses a user of another org signing in through an org's provider, even one with no mapping", async () => {
    const audience = await storeProvider('globex-plain', { defaultOrgId: 'globex', groupMappings: [] });
    const user = await linkedUser('globex-plain', {
      id: 'acme-viewer',
      email: 'v@acme.test',
      displayName: 'V',
      orgId: 'acme',
      level: 'viewer',
      platformAdmin: false,
      teamIds: [],
    });
    await refusedWith(tokenFor(audience, 'acme-viewer', []), 'org_mismatch');
    expect(await fx.stores.users.get('acme-viewer')).toEqual(user);
  });
});

describe("an org's provider grants nothing beyond its org, whatever its stored mapping says", () => {
  it('refuses a mapping into another org (no user is provisioned there)', async () => {
    const audience = await storeProvider('tampered-org', {
      defaultOrgId: 'globex',
      groupMappings: [{ group: 'staff', orgId: 'acme', level: 'admin', teamIds: [], platformAdmin: false }],
    });
    await refusedWith(tokenFor(audience, 'newcomer', ['staff']), 'mapping_out_of_scope');
    expect(await fx.stores.identities.get('tampered-org', `${fx.idp.issuer}#newcomer`)).toBeUndefined();
  });

  it('refuses a mapping to platform admin, for a new user and for an existing one (whose flag stays off)', async () => {
    const audience = await storeProvider('tampered-flag', {
      defaultOrgId: 'globex',
      groupMappings: [{ group: 'ops', level: 'admin', teamIds: [], platformAdmin: true }],
    });
    await refusedWith(tokenFor(audience, 'newcomer-2', ['ops']), 'mapping_out_of_scope');
    const user = await linkedUser('tampered-flag', {
      id: 'globex-ops',
      email: 'o@globex.test',
      displayName: 'O',
      orgId: 'globex',
      level: 'admin',
      platformAdmin: false,
      teamIds: [],
    });
    await refusedWith(tokenFor(audience, 'globex-ops', ['ops']), 'mapping_out_of_scope');
    expect(await fx.stores.users.get('globex-ops')).toEqual(user);
  });

  it('still signs in users its mapping keeps inside its org', async () => {
    const audience = await storeProvider('globex-ok', {
      defaultOrgId: 'globex',
      groupMappings: [{ group: 'staff', level: 'researcher', teamIds: ['robotics'], platformAdmin: false }],
    });
    const principal = await authorized(tokenFor(audience, 'globex-newcomer', ['staff']));
    expect(principal).toMatchObject({ orgId: 'globex', level: 'researcher', platformAdmin: false, teamIds: ['robotics'] });
  });
});
