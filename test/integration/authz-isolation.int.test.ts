import { beforeAll, describe, expect, it } from 'vitest';
import { actorId, makeTemplate, OWNERS, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, FOREIGN_MARKER, ORGS, TEAMS, type AuthzWorld } from '#test-support/authz-world';

/**
 * Tenant isolation beyond path ids (issue 4): another org's ids in query strings and bodies never leak data
 * or cause a side effect; hidden and missing objects are indistinguishable; nobody can assign themselves
 * (or anyone) fields they are not allowed to set.
 */
let world: AuthzWorld;
const admin = actorId('admin');
const researcher = actorId('researcher');
const lead = actorId('lead');
const platform = actorId('platform');

beforeAll(async () => {
  world = await createAuthzWorld();
  await seedPeople(world);
}, 60_000);

const jobBody = { name: 'iso', image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 };

describe('cross-tenant ids in query and body', () => {
  it('answers a filter by a foreign team like one by a missing team (404 naming the field), and leaks nothing', async () => {
    const result = await world.call(admin, 'listUsers', { params: { orgId: ORGS.acme }, query: { teamId: TEAMS.robotics } });
    const missing = await world.call(admin, 'listUsers', { params: { orgId: ORGS.acme }, query: { teamId: 'no-such-team' } });
    expect(result.status).toBe(404);
    expect(result.json.error.details.fields).toEqual([{ field: 'query.teamId', message: 'not a team of the org' }]);
    expect(missing.json.error.details).toEqual(result.json.error.details);
    expect(result.text).not.toContain(FOREIGN_MARKER);
    const search = await world.call(admin, 'listUsers', { params: { orgId: ORGS.acme }, query: { q: OWNERS.otherOrg } });
    expect(search.json.items).toEqual([]);
  });

  it('refuses a foreign team in a body with 404 naming the field, exactly like a missing team, writing nothing', async () => {
    for (const teamId of [TEAMS.robotics, 'no-such-team']) {
      const created = await world.call(admin, 'createUser', {
        params: { orgId: ORGS.acme },
        body: { id: 'iso-new', email: 'n@acme.test', displayName: 'N', level: 'viewer', teams: [{ teamId }] },
      });
      expect(created.status).toBe(404);
      expect(created.json.error.details.fields).toEqual([{ field: 'body.teams.0.teamId', message: 'not a team of the org' }]);
      expect(created.text).not.toContain(FOREIGN_MARKER);
    }
    expect(await world.access.users.currentUser('iso-new')).toBeUndefined();

    const before = await world.access.users.currentUser(OWNERS.sameTeam);
    const teams = await world.call(admin, 'setUserTeams', {
      params: { userId: OWNERS.sameTeam },
      body: { teams: [{ teamId: TEAMS.robotics }] },
    });
    expect([teams.status, teams.json.error.details.fields[0].field]).toEqual([404, 'body.teams.0.teamId']);
    expect(await world.access.users.currentUser(OWNERS.sameTeam)).toEqual(before);

    const rule = await world.call(admin, 'createResourceRule', {
      body: { type: 'hardware', pattern: '*', action: 'deny', teamId: TEAMS.robotics },
    });
    expect([rule.status, rule.json.error.details.fields[0].field]).toEqual([404, 'body.teamId']);
    expect(await world.rules.forOrg(ORGS.acme)).toEqual([]);
    const template = await world.call(admin, 'createTemplate', { body: { name: 'iso-admin-tpl', teamId: TEAMS.robotics, spec: {} } });
    expect([template.status, template.json.error.details.fields[0].field]).toEqual([404, 'body.teamId']);
    expect(await world.templates.get(ORGS.acme, 'iso-admin-tpl')).toBeUndefined();
    expect((await world.call(researcher, 'createTemplate', { body: { name: 'iso-tpl', teamId: TEAMS.robotics, spec: {} } })).status).toBe(
      403,
    );
    expect(await world.templates.get(ORGS.acme, 'iso-tpl')).toBeUndefined();
  });

  it('will not add another org’s user to a team, nor charge another org’s team, nor run another org’s template', async () => {
    const foreigner = await world.access.users.currentUser(OWNERS.otherOrg);
    const put = await world.call(admin, 'putTeamMember', {
      params: { orgId: ORGS.acme, teamId: TEAMS.vision, userId: OWNERS.otherOrg },
      body: { role: 'member' },
    });
    expect(put.status).toBe(404);
    expect(await world.access.users.currentUser(OWNERS.otherOrg)).toEqual(foreigner);

    const jobsBefore = (await world.jobs.listByOwner(ORGS.acme, researcher, { limit: 100 })).items.length;
    expect((await world.call(researcher, 'submitJob', { body: { ...jobBody, teamId: TEAMS.robotics } })).status).toBe(403);
    const foreignTemplate = await makeTemplate(world, 'otherOrg', 'researcher');
    const fromForeign = await world.call(researcher, 'submitJob', { body: { name: 'iso', template: foreignTemplate.name } });
    expect(fromForeign.status).toBe(404);
    expect(fromForeign.json.error.details.fields).toEqual([{ field: 'body.template', message: 'not a template of the org' }]);
    expect(fromForeign.text).not.toContain(FOREIGN_MARKER);
    expect((await world.jobs.listByOwner(ORGS.acme, researcher, { limit: 100 })).items.length).toBe(jobsBefore);
  });

  it('refuses a quota naming another org’s scope (404 naming body.scopeId), never storing it in the caller’s org', async () => {
    const foreignAdmin = 'iso-globex-admin';
    await world.putUser({ id: foreignAdmin, orgId: ORGS.globex, level: 'admin', teamIds: [TEAMS.robotics] });
    const attempts: Array<[string, Record<string, unknown>]> = [
      [foreignAdmin, { metric: 'concurrent_jobs', scopeType: 'org', scopeId: ORGS.acme, limit: 5 }],
      [foreignAdmin, { metric: 'concurrent_jobs', scopeType: 'team', scopeId: TEAMS.vision, limit: 5 }],
      [foreignAdmin, { metric: 'concurrent_jobs', scopeType: 'user', scopeId: researcher, limit: 5 }],
      [admin, { metric: 'concurrent_jobs', scopeType: 'team', scopeId: TEAMS.robotics, limit: 5 }],
      [admin, { metric: 'concurrent_jobs', scopeType: 'user', scopeId: OWNERS.otherOrg, limit: 5 }],
      [admin, { metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'no-such-team', limit: 5 }],
    ];
    for (const [caller, body] of attempts) {
      const result = await world.call(caller, 'createQuota', { body });
      expect([result.status, result.json.error.details.fields[0].field], JSON.stringify(body)).toEqual([404, 'body.scopeId']);
      expect(result.text).not.toContain(FOREIGN_MARKER);
    }
    expect((await world.call(foreignAdmin, 'createQuota', { query: { orgId: ORGS.acme }, body: attempts[1]![1] })).status).toBe(404);
    expect(await world.quotas.forOrg(ORGS.acme)).toEqual([]);
    expect(await world.quotas.forOrg(ORGS.globex)).toEqual([]);
  });

  it('answers usage of another org’s team, user or org with 404, as for one that does not exist', async () => {
    const period = { from: '2026-11-01', to: '2026-11-30' };
    for (const query of [
      { scopeType: 'team', scopeId: TEAMS.robotics },
      { scopeType: 'team', scopeId: 'no-such-team' },
      { scopeType: 'user', scopeId: OWNERS.otherOrg },
      { scopeType: 'user', scopeId: 'no-such-user' },
      { scopeType: 'org', scopeId: ORGS.globex },
    ]) {
      const result = await world.call(admin, 'getUsage', { query: { ...query, ...period } });
      expect(result.status, JSON.stringify(query)).toBe(404);
      expect(result.text).not.toContain(FOREIGN_MARKER);
    }
    expect((await world.call(admin, 'getUsage', { query: { scopeType: 'team', scopeId: TEAMS.nlp, ...period } })).status).toBe(200);
    expect(
      (await world.call(admin, 'getUsage', { query: { orgId: ORGS.globex, scopeType: 'team', scopeId: TEAMS.robotics, ...period } }))
        .status,
    ).toBe(404);
    const asPlatform = { orgId: ORGS.globex, scopeType: 'team', scopeId: TEAMS.robotics, ...period };
    expect((await world.call(platform, 'getUsage', { query: asPlatform })).status).toBe(200);
  });

  it('reads another org’s audit chain only as a platform admin', async () => {
    expect((await world.call(admin, 'listAuditEntries', { query: { orgId: ORGS.globex } })).status).toBe(404);
    expect((await world.call(platform, 'listAuditEntries', { query: { orgId: ORGS.globex } })).status).toBe(200);
  });

  it('answers a hidden object exactly like a missing one (no existence oracle)', async () => {
    const pairs: Array<[string, Record<string, string>, Record<string, string>, string]> = [
      ['getTeam', { orgId: ORGS.acme, teamId: TEAMS.nlp }, { orgId: ORGS.acme, teamId: 'no-such-team' }, lead],
      ['getTeam', { orgId: ORGS.globex, teamId: TEAMS.robotics }, { orgId: 'no-such-org', teamId: 'x1' }, admin],
      ['getUser', { userId: OWNERS.otherOrg }, { userId: 'no-such-user' }, admin],
      ['getOrg', { orgId: ORGS.globex }, { orgId: 'no-such-org' }, admin],
    ];
    for (const [operationId, hidden, missing, caller] of pairs) {
      const a = await world.call(caller, operationId, { params: hidden });
      const b = await world.call(caller, operationId, { params: missing });
      expect([a.status, a.json.error], operationId).toEqual([b.status, b.json.error]);
      expect(a.status).toBe(404);
    }
  });
});

describe('mass assignment', () => {
  it('rejects fields a route does not take (400), so org, level and flags cannot ride along', async () => {
    const attempts: Array<[string, Record<string, string>, unknown]> = [
      ['updateUser', { userId: admin }, { displayName: 'A', level: 'viewer' }],
      ['updateUser', { userId: admin }, { displayName: 'A', orgId: ORGS.globex }],
      ['updateUser', { userId: OWNERS.sameTeam }, { overrides: [{ permission: 'admin.users', effect: 'grant' }] }],
      ['createUser', { orgId: ORGS.acme }, { email: 'x@x.test', displayName: 'X', level: 'viewer', platformAdmin: true }],
      ['createUser', { orgId: ORGS.acme }, { email: 'x@x.test', displayName: 'X', level: 'viewer', orgId: ORGS.globex }],
      ['createTeam', { orgId: ORGS.acme }, { slug: 'mass', name: 'M', orgId: ORGS.globex }],
      ['putTeamMember', { orgId: ORGS.acme, teamId: TEAMS.vision, userId: OWNERS.sameTeam }, { role: 'member', level: 'admin' }],
    ];
    const before = await world.access.users.currentUser(admin);
    for (const [operationId, params, body] of attempts) {
      expect((await world.call(admin, operationId, { params, body })).status, `${operationId} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(await world.access.users.currentUser(admin)).toEqual(before);
    expect(await world.access.tenancy.getTeam(ORGS.globex, 'mass')).toBeUndefined();
  });

  it('never lets a caller change their own level, status, overrides or teams', async () => {
    const before = await world.access.users.currentUser(admin);
    const self = { userId: admin };
    expect((await world.call(admin, 'setUserLevel', { params: self, body: { level: 'lead' } })).status).toBe(403);
    expect((await world.call(admin, 'setUserStatus', { params: self, body: { status: 'disabled' } })).status).toBe(403);
    expect(
      (await world.call(admin, 'setUserOverrides', { params: self, body: { overrides: [{ permission: 'org.create', effect: 'grant' }] } }))
        .status,
    ).toBe(403);
    expect((await world.call(admin, 'setUserTeams', { params: self, body: { teams: [{ teamId: TEAMS.nlp }] } })).status).toBe(403);
    expect(await world.access.users.currentUser(admin)).toEqual(before);
    // Without admin.users nobody touches anyone's record, their own included.
    expect((await world.call(researcher, 'setUserLevel', { params: { userId: researcher }, body: { level: 'admin' } })).status).toBe(403);
    expect((await world.call(lead, 'updateUser', { params: { userId: OWNERS.sameTeam }, body: { displayName: 'Hacked' } })).status).toBe(
      403,
    );
  });

  it('lets nobody grant what they do not hold, or hand out the platform flag', async () => {
    const peer = { userId: OWNERS.sameTeam };
    expect((await world.call(admin, 'setUserLevel', { params: peer, body: { level: 'admin', platformAdmin: true } })).status).toBe(403);
    expect(
      (await world.call(admin, 'setUserOverrides', { params: peer, body: { overrides: [{ permission: 'org.create', effect: 'grant' }] } }))
        .status,
    ).toBe(403);
    expect(
      (await world.call(admin, 'putLevel', { params: { name: 'super' }, body: { priority: 50, permissions: ['org.manage'] } })).status,
    ).toBe(400);
    expect((await world.call(admin, 'putLevel', { params: { name: 'admin' }, body: { priority: 50, permissions: [] } })).status).toBe(403);
    expect(
      (
        await world.call(admin, 'setUserOverrides', {
          params: peer,
          body: {
            overrides: [
              { permission: 'job.cancel.all', effect: 'grant' },
              { permission: 'job.cancel.all', effect: 'deny' },
            ],
          },
        })
      ).json.overrides,
    ).toEqual([{ permission: 'job.cancel.all', effect: 'deny' }]);
    const promoted = await world.call(platform, 'setUserLevel', { params: peer, body: { level: 'admin', platformAdmin: true } });
    expect(promoted.json).toMatchObject({ level: 'admin', platformAdmin: true });
    // An org admin cannot change a platform admin back.
    expect((await world.call(admin, 'setUserLevel', { params: peer, body: { level: 'viewer' } })).status).toBe(403);
    expect((await world.call(platform, 'setUserLevel', { params: peer, body: { level: 'researcher', platformAdmin: false } })).status).toBe(
      200,
    );
  });
});
