import { beforeAll, describe, expect, it } from 'vitest';
import { createTenancyHandler } from '#functions/api/tenancy/tenancy.app';
import { DynamoLevelCatalog, MAX_PERMISSION_CACHE_MS } from '#adapters/dynamodb/dynamo-level.repository';
import { createAccessGate } from '#domain/identity/access-gate';
import { actorId, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, ORGS, TEAMS, type AuthzWorld } from '#test-support/authz-world';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { toAuthorizerContext } from '#http/principal-context';
import type { Principal } from '#domain/authz/principal';
import type { Context } from 'aws-lambda';

/**
 * Freshness of authorization (docs/permissions.md): API Gateway may hand a route a principal cached for up to a
 * minute, so these requests deliberately carry the principal as it was *before* the change. The access
 * gate must still apply a demotion, a disable or an override at the next request; only custom level
 * definitions may lag, and by no more than the 60 s cache window.
 */
let world: AuthzWorld;
const admin = actorId('admin');
const platform = actorId('platform');

beforeAll(async () => {
  world = await createAuthzWorld();
  await seedPeople(world);
}, 60_000);

const jobBody = { name: 'fresh', image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 };

describe('changes take effect at the next request, even with a cached principal', () => {
  it('applies a demotion', async () => {
    await world.putUser({ id: 'demoted', level: 'lead', teamIds: [TEAMS.vision] });
    const stale = await world.principalOf('demoted');
    expect((await world.call(stale, 'getTeam', { params: { orgId: ORGS.acme, teamId: TEAMS.vision } })).status).toBe(200);
    expect((await world.call(admin, 'setUserLevel', { params: { userId: 'demoted' }, body: { level: 'researcher' } })).status).toBe(200);
    const after = await world.call(stale, 'getTeam', { params: { orgId: ORGS.acme, teamId: TEAMS.vision } });
    expect(after.status).toBe(403);
    expect(after.json.error.details.permission).toBe('team.view');
  });

  it('refuses a disabled user, and lets them back in once enabled', async () => {
    await world.putUser({ id: 'disabled', teamIds: [TEAMS.vision] });
    const stale = await world.principalOf('disabled');
    expect((await world.call(stale, 'listJobs')).status).toBe(200);
    expect((await world.call(admin, 'setUserStatus', { params: { userId: 'disabled' }, body: { status: 'disabled' } })).status).toBe(200);
    const refused = await world.call(stale, 'listJobs');
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/disabled/);
    expect((await world.call(stale, 'submitJob', { body: jobBody })).status).toBe(403);
    expect((await world.call(admin, 'setUserStatus', { params: { userId: 'disabled' }, body: { status: 'active' } })).status).toBe(200);
    expect((await world.call(stale, 'listJobs')).status).toBe(200);
  });

  it('refuses everyone of a disabled org', async () => {
    expect((await world.call(platform, 'createOrg', { body: { slug: 'shortlived', name: 'Short-lived' } })).status).toBe(201);
    await world.putUser({ id: 'shorty', orgId: 'shortlived', level: 'admin' });
    const stale = await world.principalOf('shorty');
    expect((await world.call(stale, 'listJobs')).status).toBe(200);
    expect((await world.call(platform, 'deleteOrg', { params: { orgId: 'shortlived' } })).json.status).toBe('disabled');
    expect((await world.call(stale, 'listJobs')).status).toBe(403);
  });

  it('applies a deny override and team changes', async () => {
    await world.putUser({ id: 'overridden', teamIds: [TEAMS.vision] });
    const stale = await world.principalOf('overridden');
    expect((await world.call(stale, 'submitJob', { body: jobBody })).status).toBe(201);
    await world.call(admin, 'setUserOverrides', {
      params: { userId: 'overridden' },
      body: { overrides: [{ permission: 'job.submit', effect: 'deny' }] },
    });
    expect((await world.call(stale, 'submitJob', { body: jobBody })).status).toBe(403);
    // Teams come from the record too: a job charged to a team the user just left is refused.
    await world.call(admin, 'setUserOverrides', { params: { userId: 'overridden' }, body: { overrides: [] } });
    await world.call(admin, 'setUserTeams', { params: { userId: 'overridden' }, body: { teams: [{ teamId: TEAMS.nlp }] } });
    expect((await world.call(stale, 'submitJob', { body: { ...jobBody, teamId: TEAMS.vision } })).status).toBe(403);
    expect((await world.call(stale, 'submitJob', { body: { ...jobBody, teamId: TEAMS.nlp } })).status).toBe(201);
  });

  it('drops a disabled team: no job is charged to it and its lead no longer leads it, until it is restored', async () => {
    expect((await world.call(admin, 'createTeam', { params: { orgId: ORGS.acme }, body: { slug: 'sunset', name: 'Sunset' } })).status).toBe(
      201,
    );
    await world.putUser({ id: 'sunset-member', teamIds: ['sunset', TEAMS.vision] });
    await world.putUser({ id: 'sunset-lead', level: 'lead', teamIds: ['sunset'] });
    const member = await world.principalOf('sunset-member');
    const lead = await world.principalOf('sunset-lead');
    const charged = await world.call(member, 'submitJob', { body: jobBody });
    expect(charged.json.teamId).toBe('sunset');
    expect((await world.call(lead, 'getTeam', { params: { orgId: ORGS.acme, teamId: 'sunset' } })).status).toBe(200);

    expect((await world.call(admin, 'deleteTeam', { params: { orgId: ORGS.acme, teamId: 'sunset' } })).json.status).toBe('disabled');
    const refused = await world.call(member, 'submitJob', { body: { ...jobBody, teamId: 'sunset' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/active team/);
    // Without a team named, the job goes to the first team still active.
    expect((await world.call(member, 'submitJob', { body: jobBody })).json.teamId).toBe(TEAMS.vision);
    // Out of the lead's reach now: answered as any team they cannot see.
    expect((await world.call(lead, 'getTeam', { params: { orgId: ORGS.acme, teamId: 'sunset' } })).status).toBe(404);

    expect(
      (await world.call(admin, 'updateTeam', { params: { orgId: ORGS.acme, teamId: 'sunset' }, body: { status: 'active' } })).status,
    ).toBe(200);
    expect((await world.call(member, 'submitJob', { body: { ...jobBody, teamId: 'sunset' } })).status).toBe(201);
  });

  it('refuses a principal claiming another org than its user record', async () => {
    const forged: Principal = { ...(await world.principalOf(actorId('researcher'))), orgId: ORGS.globex };
    expect((await world.call(forged, 'listJobs')).status).toBe(401);
  });
});

describe('custom levels: cached at most 60 s, dropped at once where they changed', () => {
  it('applies a level change made through the API at the next request of the same instance', async () => {
    expect(
      (await world.call(admin, 'putLevel', { params: { name: 'ops' }, body: { priority: 25, permissions: ['job.view.own', 'team.view'] } }))
        .status,
    ).toBe(201);
    await world.putUser({ id: 'opsy', level: 'ops', teamIds: [TEAMS.vision] });
    expect((await world.call('opsy', 'getTeam', { params: { orgId: ORGS.acme, teamId: TEAMS.vision } })).status).toBe(200);
    expect(
      (await world.call(admin, 'putLevel', { params: { name: 'ops' }, body: { priority: 25, permissions: ['job.view.own'] } })).status,
    ).toBe(200);
    expect((await world.call('opsy', 'getTeam', { params: { orgId: ORGS.acme, teamId: TEAMS.vision } })).status).toBe(403);
    // A level in use cannot be deleted.
    expect((await world.call(admin, 'deleteLevel', { params: { name: 'ops' } })).status).toBe(409);
  });

  it('reaches another function instance within the window, never later', async () => {
    await world.access.levels.save(
      {
        schemaVersion: 1,
        orgId: ORGS.acme,
        name: 'analyst',
        description: '',
        priority: 15,
        permissions: ['job.view.own', 'team.view'],
        createdAt: '',
        updatedAt: '',
        version: 1,
      },
      0,
    );
    await world.putUser({ id: 'ana', level: 'analyst', teamIds: [TEAMS.vision] });
    // "Another instance": its own level cache, on a clock the test moves.
    let now = Date.now();
    const levels = new DynamoLevelCatalog(world.table.doc, world.table.tableName, 10 * 60_000, () => now);
    const handler = createTenancyHandler({
      ...world.access,
      clock: { now: () => new Date(now) },
      principalGate: createAccessGate({ users: world.access.users, levels }),
    });
    const viewTeam = async (): Promise<number> => {
      const event = buildHttpApiV2Event({
        method: 'GET',
        rawPath: `/v1/orgs/${ORGS.acme}/teams/${TEAMS.vision}`,
        routeKey: 'GET /v1/orgs/{orgId}/teams/{teamId}',
        pathParameters: { orgId: ORGS.acme, teamId: TEAMS.vision },
      });
      event.requestContext.authorizer = { lambda: toAuthorizerContext(await world.principalOf('ana')) };
      return (await handler(event, {} as Context)).statusCode;
    };
    expect(await viewTeam()).toBe(200);
    // The change happens elsewhere (this instance's cache is not told).
    await world.call(admin, 'putLevel', { params: { name: 'analyst' }, body: { priority: 15, permissions: ['job.view.own'] } });
    now += 30_000;
    expect(await viewTeam()).toBe(200); // still inside the window: the documented lag
    now += MAX_PERMISSION_CACHE_MS - 30_000 + 1;
    expect(await viewTeam()).toBe(403); // the 10-minute TTL asked for was clamped to 60 s
  });
});
