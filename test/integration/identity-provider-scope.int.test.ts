import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';
import { createAuthzWorld, ORGS, TEAMS, type AuthzWorld } from '#test-support/authz-world';

/**
 * Who may manage identity providers (docs/permissions.md#tenancy), through the real identity handler, middy chain, access
 * gate and audit log against DynamoDB Local: an org admin keeps their providers inside their org and grants
 * no more than they hold; they never see another org's or a deployment-wide provider; no two providers
 * accept the same sign-ins. Secrets Manager does not run here: the file-backed store stands in for it.
 */
let world: AuthzWorld;
const GLOBEX_ADMIN = 'idp-gus';
const ACME_ADMIN = 'idp-ada';
const PLATFORM = 'idp-root';
const LEAD_WITH_CONFIG = 'idp-lead';

beforeAll(async () => {
  world = await createAuthzWorld();
  await world.putUser({ id: GLOBEX_ADMIN, orgId: ORGS.globex, level: 'admin', teamIds: [TEAMS.robotics] });
  await world.putUser({ id: ACME_ADMIN, orgId: ORGS.acme, level: 'admin', teamIds: [TEAMS.vision] });
  await world.putUser({ id: PLATFORM, orgId: ORGS.acme, level: 'admin', platformAdmin: true });
  // A globex lead who was granted admin.config: may manage providers, but not map anyone above a lead.
  await world.putUser({
    id: LEAD_WITH_CONFIG,
    orgId: ORGS.globex,
    level: 'lead',
    teamIds: [TEAMS.robotics],
    overrides: [{ permission: 'admin.config', effect: 'grant' }],
  });
}, 60_000);

const oidc = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'oidc',
  displayName: `Provider ${id}`,
  defaultOrgId: ORGS.globex,
  issuer: `https://${id}.idp.example.test`,
  clientId: 'qm',
  groupMappings: [{ group: 'engineers', level: 'researcher', teamIds: [TEAMS.robotics] }],
  ...extra,
});
const create = (caller: string, body: unknown) => world.call(caller, 'createIdentityProvider', { body });

/** The refusal names the field at fault and nothing was stored. */
async function refused(caller: string, body: { id: string }, status: number, field: string) {
  const result = await create(caller, body);
  expect(result.status, result.text).toBe(status);
  expect(result.json.error.details.field).toBe(field);
  expect(await world.providers.get(body.id)).toBeUndefined();
  return result;
}

describe('an org admin keeps identity providers inside their org', () => {
  it('cannot map users into another org (as default or in a mapping): 404, as if the org did not exist', async () => {
    await refused(GLOBEX_ADMIN, oidc(world.unique('esc'), { defaultOrgId: ORGS.acme, groupMappings: [] }), 404, 'body.defaultOrgId');
    await refused(
      GLOBEX_ADMIN,
      oidc(world.unique('esc'), {
        groupMappings: [
          { group: 'x', level: 'viewer', teamIds: [] },
          { group: 'y', orgId: ORGS.acme, teamIds: [] },
        ],
      }),
      404,
      'body.groupMappings.1.orgId',
    );
    // Same answer for an org that does not exist at all: no existence oracle.
    await refused(GLOBEX_ADMIN, oidc(world.unique('esc'), { defaultOrgId: 'no-such-org', groupMappings: [] }), 404, 'body.defaultOrgId');
  });

  it('cannot grant platformAdmin, nor make a provider deployment-wide: 403 naming the field', async () => {
    await refused(
      GLOBEX_ADMIN,
      oidc(world.unique('esc'), { groupMappings: [{ group: 'ops', level: 'admin', teamIds: [], platformAdmin: true }] }),
      403,
      'body.groupMappings.0.platformAdmin',
    );
    await refused(GLOBEX_ADMIN, oidc(world.unique('esc'), { scope: 'deployment' }), 403, 'body.scope');
  });

  it('cannot map to a level above their own (the override rule, applied to mappings)', async () => {
    const body = oidc(world.unique('esc'), {
      groupMappings: [
        { group: 'a', level: 'viewer', teamIds: [] },
        { group: 'b', level: 'lead', teamIds: [] },
        { group: 'c', level: 'admin', teamIds: [] },
      ],
    });
    const result = await refused(LEAD_WITH_CONFIG, body, 403, 'body.groupMappings.2.level');
    expect(result.json.error.message).toContain('ranks above your own');
    await refused(LEAD_WITH_CONFIG, oidc(world.unique('esc'), { groupMappings: [], defaultLevel: 'admin' }), 403, 'body.defaultLevel');
    // Up to their own level is fine.
    const own = await create(
      LEAD_WITH_CONFIG,
      oidc(world.unique('lead-ok'), { groupMappings: [{ group: 'b', level: 'lead', teamIds: [] }] }),
    );
    expect(own.status, own.text).toBe(201);
  });

  it("cannot name another org's team (the colliding slug included): 404 naming the team", async () => {
    await refused(
      GLOBEX_ADMIN,
      oidc(world.unique('esc'), { groupMappings: [{ group: 'x', level: 'viewer', teamIds: [TEAMS.robotics, TEAMS.vision] }] }),
      404,
      'body.groupMappings.0.teamIds.1',
    );
  });

  it("manages their own org's provider, which other orgs' admins cannot see, list, change or delete (404)", async () => {
    const id = world.unique('globex-idp');
    const created = await create(GLOBEX_ADMIN, oidc(id));
    expect(created.status, created.text).toBe(201);
    expect(created.json.settings).toMatchObject({ scope: 'org', defaultOrgId: ORGS.globex });
    expect((await world.call(GLOBEX_ADMIN, 'getIdentityProvider', { params: { id } })).status).toBe(200);

    const before = JSON.stringify(await world.providers.get(id));
    expect((await world.call(ACME_ADMIN, 'getIdentityProvider', { params: { id } })).status).toBe(404);
    const listed = await world.call(ACME_ADMIN, 'listIdentityProviders');
    expect(listed.json.items.map((p: { id: string }) => p.id)).not.toContain(id);
    const takeover = { ...oidc(id), defaultOrgId: ORGS.acme, groupMappings: [] };
    expect((await world.call(ACME_ADMIN, 'replaceIdentityProvider', { params: { id }, body: takeover })).status).toBe(404);
    expect((await world.call(ACME_ADMIN, 'deleteIdentityProvider', { params: { id } })).status).toBe(404);
    expect(JSON.stringify(await world.providers.get(id))).toBe(before);

    // A platform admin sees every provider.
    expect((await world.call(PLATFORM, 'getIdentityProvider', { params: { id } })).status).toBe(200);
    const all = await world.call(PLATFORM, 'listIdentityProviders');
    expect(all.json.items.map((p: { id: string }) => p.id)).toContain(id);
  });

  it('cannot turn their own provider into an escalation by replacing it', async () => {
    const id = world.unique('globex-own');
    expect((await create(GLOBEX_ADMIN, oidc(id))).status).toBe(201);
    const before = JSON.stringify(await world.providers.get(id));
    const escalate = oidc(id, { groupMappings: [{ group: 'ops', orgId: ORGS.acme, level: 'admin', teamIds: [], platformAdmin: true }] });
    const result = await world.call(GLOBEX_ADMIN, 'replaceIdentityProvider', { params: { id }, body: escalate });
    expect(result.status).toBe(404);
    expect(result.json.error.details.field).toBe('body.groupMappings.0.orgId');
    expect(JSON.stringify(await world.providers.get(id))).toBe(before);
  });
});

describe('deployment-wide providers are for platform admins', () => {
  it('a platform admin maps into several orgs and grants platformAdmin; org admins never see the provider', async () => {
    const id = world.unique('corp');
    const body = oidc(id, {
      scope: 'deployment',
      defaultOrgId: ORGS.acme,
      groupMappings: [
        { group: 'acme-staff', orgId: ORGS.acme, level: 'researcher', teamIds: [TEAMS.vision] },
        { group: 'globex-staff', orgId: ORGS.globex, level: 'researcher', teamIds: [TEAMS.robotics] },
        { group: 'ops', teamIds: [], platformAdmin: true },
      ],
    });
    expect((await create(PLATFORM, body)).status).toBe(201);
    for (const admin of [GLOBEX_ADMIN, ACME_ADMIN]) {
      expect((await world.call(admin, 'getIdentityProvider', { params: { id } })).status).toBe(404);
      const listed = await world.call(admin, 'listIdentityProviders');
      expect(listed.json.items.map((p: { id: string }) => p.id)).not.toContain(id);
    }
  });

  it('an org-scoped provider that maps elsewhere is inconsistent even for a platform admin (400 naming the field)', async () => {
    const body = oidc(world.unique('mixed'), { groupMappings: [{ group: 'x', orgId: ORGS.acme, level: 'viewer', teamIds: [] }] });
    const result = await create(PLATFORM, body);
    expect(result.status).toBe(400);
    expect(result.json.error.details.fields[0].field).toBe('body.groupMappings.0.orgId');
  });
});

describe('no two providers accept the same sign-ins', () => {
  it("refuses another org's issuer and audience (with or without a trailing slash): 409 sign_ins_taken", async () => {
    const id = world.unique('globex-corp');
    expect((await create(GLOBEX_ADMIN, oidc(id, { audience: 'urn:globex-api' }))).status).toBe(201);
    const issuer = `https://${id}.idp.example.test`;
    for (const candidate of [issuer, `${issuer}/`]) {
      const capture = {
        ...oidc(world.unique('capture'), { defaultOrgId: ORGS.acme, groupMappings: [] }),
        issuer: candidate,
        audience: 'urn:globex-api',
      };
      const result = await create(ACME_ADMIN, capture);
      expect(result.status, result.text).toBe(409);
      expect(result.json.error.details).toMatchObject({ field: 'body.issuer', reason: 'sign_ins_taken' });
      expect(result.text).not.toContain(id);
    }
    // The client id is the audience when none is set: same issuer, audience taken the other way round.
    const viaClientId = {
      ...oidc(world.unique('capture'), { defaultOrgId: ORGS.acme, groupMappings: [] }),
      issuer,
      clientId: 'urn:globex-api',
    };
    expect((await create(ACME_ADMIN, viaClientId)).status).toBe(409);
    // Another audience of the same issuer is another API: allowed.
    const other = { ...oidc(world.unique('other-api'), { defaultOrgId: ORGS.acme, groupMappings: [] }), issuer, audience: 'urn:acme-api' };
    expect((await create(ACME_ADMIN, other)).status).toBe(201);
  });

  it("refuses Quartermaster's own session issuer (409 reserved_issuer), whatever the audience, even for a platform admin", async () => {
    for (const [caller, issuer] of [
      [GLOBEX_ADMIN, world.sessionIssuer],
      [PLATFORM, `${world.sessionIssuer}/`],
    ] as const) {
      const result = await create(caller, { ...oidc(world.unique('qm')), issuer, audience: 'quartermaster' });
      expect(result.status, result.text).toBe(409);
      expect(result.json.error.details).toMatchObject({ field: 'body.issuer', reason: 'reserved_issuer' });
    }
  });

  it('refuses a second LDAP provider for the same directory (url and base DN, case and spacing aside)', async () => {
    const ldap = (id: string, url: string, baseDn: string) => ({
      id,
      type: 'ldap',
      displayName: id,
      defaultOrgId: ORGS.globex,
      url,
      baseDn,
      bindDn: 'cn=svc,dc=corp,dc=test',
      bindPasswordRef: 'env:LDAP_BIND',
      userFilter: '(uid={username})',
    });
    expect((await create(GLOBEX_ADMIN, ldap(world.unique('dir'), 'ldaps://dir.corp.test:636', 'ou=people,dc=corp,dc=test'))).status).toBe(
      201,
    );
    const copy = await create(ACME_ADMIN, {
      ...ldap(world.unique('dir'), 'ldaps://DIR.corp.test:636/', 'ou=People, dc=corp, dc=test'),
      defaultOrgId: ORGS.acme,
    });
    expect(copy.status).toBe(409);
    expect(copy.json.error.details).toMatchObject({ field: 'body.baseDn', reason: 'sign_ins_taken' });
    const subtree = { ...ldap(world.unique('dir'), 'ldaps://dir.corp.test:636', 'ou=acme,dc=corp,dc=test'), defaultOrgId: ORGS.acme };
    expect((await create(ACME_ADMIN, subtree)).status).toBe(201);
  });
});

describe('every refusal is audited', () => {
  it('records denials (403) and refused changes (404, 409) of identity providers with the field at fault', async () => {
    const trail = new DynamoAuditTrail(world.table.doc, world.table.tableName);
    const entries = (await trail.query({ orgId: ORGS.globex, limit: 500 })).items;
    const fieldOf = (entry: (typeof entries)[number]) => (entry.details?.error as { field?: string } | undefined)?.field;
    const denied = entries.filter((e) => e.action === 'request.denied' && e.details?.operationId === 'createIdentityProvider');
    expect(denied.map(fieldOf)).toEqual(
      expect.arrayContaining(['body.groupMappings.0.platformAdmin', 'body.scope', 'body.groupMappings.2.level', 'body.defaultLevel']),
    );
    const failed = entries.filter((e) => e.action === 'createIdentityProvider' && e.outcome === 'failure');
    expect(failed.map(fieldOf)).toEqual(
      expect.arrayContaining(['body.defaultOrgId', 'body.groupMappings.1.orgId', 'body.groupMappings.0.teamIds.1']),
    );
    const acme = (await trail.query({ orgId: ORGS.acme, limit: 500 })).items;
    const conflicts = acme.filter((e) => e.action === 'createIdentityProvider' && e.outcome === 'failure' && e.details?.status === 409);
    expect(conflicts.length).toBeGreaterThanOrEqual(3);
    const foreignReads = acme.filter((e) => ['replaceIdentityProvider', 'deleteIdentityProvider'].includes(String(e.details?.operationId)));
    expect(foreignReads.filter((e) => e.outcome === 'failure').length).toBeGreaterThanOrEqual(2);
  });
});
