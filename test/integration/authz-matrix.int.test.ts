import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import * as keys from '#adapters/dynamodb/table-keys';
import type { Permission } from '#domain/authz/permissions';
import { ACTORS, holds, reaches, reachesOrgOf, RELATIONS, type Actor, type Relation } from '#test-support/authz-model';
import {
  actorId,
  makeJob,
  makeLevel,
  makeOrg,
  makeProvider,
  makeQuota,
  makeRule,
  makeTargetUser,
  makeTemplate,
  orgOf,
  ownerOf,
  seedPeople,
  snapshot,
  teamOf,
  type Key,
} from '#test-support/authz-fixtures';
import { createAuthzWorld, FOREIGN_MARKER, ORGS, type AuthzWorld, type CallInput } from '#test-support/authz-world';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';

/**
 * The generated authorization matrix (issue 4): every declared route × every level (and a platform admin)
 * × the object's relation to the caller (own / same team / other team / other org), through the real
 * middy handlers and the access gate against DynamoDB Local. Expected statuses come from the permission
 * table and the scope rules (`test/support/authz-model.ts`), one rule per route, never per case.
 *
 * For every refused request the watched objects must be unchanged, and no response may carry data of the
 * other org unless the caller is a platform admin.
 */

interface Case extends CallInput {
  watch?: Key[];
  cleanup?: () => Promise<void>;
}
interface Spec {
  /** False: the route names no object; it runs once per actor. */
  perRelation: boolean;
  setup?: (world: AuthzWorld, actor: Actor, relation: Relation) => Promise<Case>;
  /** The status the model expects (the permission check itself comes first, from the route's declaration). */
  expected: (actor: Actor, relation: Relation) => number;
}

const self = (_actor: Actor, relation: Relation) => relation === 'own';
const jobBody = (name: string) => ({ name, image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 });
const orgReach = (permission: Permission, success: number) => (actor: Actor, relation: Relation) =>
  reachesOrgOf(actor, permission, relation) ? success : 404;
const visibleJob = (actor: Actor, relation: Relation) =>
  (relation === 'own' && holds(actor, 'job.view.own')) || reaches(actor, 'job.view.all', relation);
const sameOrg = (relation: Relation) => relation !== 'otherOrg';
const canEditTemplate = (actor: Actor, relation: Relation) =>
  (relation === 'own' && holds(actor, 'config.edit.own')) || reaches(actor, 'config.edit.all', relation);
const teamAction = (permission: Permission, success: number) => (actor: Actor, relation: Relation) =>
  !reaches(actor, 'team.view', relation) ? 404 : !reaches(actor, permission, relation) ? 403 : success;
const userAction = (success: number, selfForbidden: boolean) => (actor: Actor, relation: Relation) =>
  !reaches(actor, 'admin.users', relation) ? 404 : selfForbidden && self(actor, relation) ? 403 : success;

const jobCase = async (world: AuthzWorld, actor: Actor, relation: Relation): Promise<Case> => {
  const job = await makeJob(world, relation, actor);
  return { params: { id: job.id }, watch: [job.key] };
};
const templateCase =
  (body?: unknown) =>
  async (world: AuthzWorld, actor: Actor, relation: Relation): Promise<Case> => {
    const template = await makeTemplate(world, relation, actor);
    return { params: { name: template.name }, ...(body ? { body } : {}), watch: [template.key] };
  };
const ruleCase =
  (body?: unknown) =>
  async (world: AuthzWorld, _actor: Actor, relation: Relation): Promise<Case> => {
    const rule = await makeRule(world, relation);
    return { params: { ruleId: rule.id }, ...(body ? { body } : {}), watch: [rule.key] };
  };
const userCase =
  (body?: (relation: Relation) => unknown) =>
  async (world: AuthzWorld, actor: Actor, relation: Relation): Promise<Case> => {
    const user = await makeTargetUser(world, relation, actor);
    return { params: { userId: user.id }, ...(body ? { body: body(relation) } : {}), watch: [user.key] };
  };
const orgParam =
  (body?: (world: AuthzWorld) => unknown) =>
  async (world: AuthzWorld, _actor: Actor, relation: Relation): Promise<Case> => ({
    params: { orgId: orgOf(relation) },
    ...(body ? { body: body(world) } : {}),
    watch: [keys.org(orgOf(relation))],
  });
/** An existing team, restored after the case so a rename or disable does not leak into later cases. */
const teamCase =
  (body?: unknown) =>
  async (world: AuthzWorld, _actor: Actor, relation: Relation): Promise<Case> => {
    const [orgId, teamId] = [orgOf(relation), teamOf(relation)];
    const before = await world.access.tenancy.getTeam(orgId, teamId);
    return {
      params: { orgId, teamId },
      ...(body ? { body } : {}),
      watch: [keys.team(orgId, teamId)],
      cleanup: async () =>
        void (await world.access.tenancy.updateTeam(
          orgId,
          teamId,
          { name: before?.name ?? teamId, status: 'active' },
          new Date().toISOString(),
        )),
    };
  };
const memberCase =
  (body?: unknown) =>
  async (world: AuthzWorld, actor: Actor, relation: Relation): Promise<Case> => {
    const user = await makeTargetUser(world, relation, actor);
    return { params: { orgId: orgOf(relation), teamId: teamOf(relation), userId: user.id }, ...(body ? { body } : {}), watch: [user.key] };
  };

/** Org admins reach their own org's providers; platform admins every one (docs/permissions.md#tenancy). */
const providerCase =
  (withBody: boolean) =>
  async (world: AuthzWorld, _actor: Actor, relation: Relation): Promise<Case> => {
    const provider = await makeProvider(world, relation);
    return { params: { id: provider.id }, ...(withBody ? { body: provider.input } : {}), watch: [provider.key] };
  };
const providerAction = (success: number) => (actor: Actor, relation: Relation) =>
  actor === 'platform' || sameOrg(relation) ? success : 404;

/** POSTs that change nothing (their routes return `audit: { unchanged: true }`): no entry unless refused. */
const DRY_RUNS = new Set(['explainJob']);

const SPECS: Record<string, Spec> = {
  // identity providers
  listIdentityProviders: { perRelation: false, expected: () => 200 },
  createIdentityProvider: {
    perRelation: false,
    setup: async (world) => {
      const id = world.unique('new-idp');
      return {
        body: { id, type: 'oidc', displayName: 'New', defaultOrgId: ORGS.acme, issuer: `https://${id}.example.test`, clientId: 'qm' },
      };
    },
    expected: () => 201,
  },
  getIdentityProvider: { perRelation: true, setup: providerCase(false), expected: providerAction(200) },
  replaceIdentityProvider: { perRelation: true, setup: providerCase(true), expected: providerAction(200) },
  deleteIdentityProvider: { perRelation: true, setup: providerCase(false), expected: providerAction(204) },
  // jobs
  submitJob: { perRelation: false, setup: async (world) => ({ body: jobBody(world.unique('job')) }), expected: () => 201 },
  explainJob: { perRelation: false, setup: async (world) => ({ body: jobBody(world.unique('job')) }), expected: () => 200 },
  listJobs: { perRelation: false, expected: () => 200 },
  getJob: { perRelation: true, setup: jobCase, expected: (a, r) => (visibleJob(a, r) ? 200 : 404) },
  getJobLogs: { perRelation: true, setup: jobCase, expected: (a, r) => (visibleJob(a, r) ? 200 : 404) },
  cancelJob: {
    perRelation: true,
    setup: jobCase,
    expected: (a, r) =>
      !visibleJob(a, r) ? 404 : (r === 'own' ? holds(a, 'job.cancel.own') : reaches(a, 'job.cancel.all', r)) ? 200 : 403,
  },
  // templates: shared within the org, looked up in the caller's org only
  listTemplates: { perRelation: false, expected: () => 200 },
  createTemplate: {
    perRelation: false,
    setup: async (world) => ({ body: { name: world.unique('new-tpl'), spec: { image: 'busybox' } } }),
    expected: () => 201,
  },
  getTemplate: { perRelation: true, setup: templateCase(), expected: (_a, r) => (sameOrg(r) ? 200 : 404) },
  replaceTemplate: {
    perRelation: true,
    setup: templateCase({ spec: { image: 'alpine' } }),
    expected: (a, r) => (!sameOrg(r) ? 404 : canEditTemplate(a, r) ? 200 : 403),
  },
  deleteTemplate: { perRelation: true, setup: templateCase(), expected: (a, r) => (!sameOrg(r) ? 404 : canEditTemplate(a, r) ? 204 : 403) },
  // users
  listUsers: { perRelation: true, setup: orgParam(), expected: orgReach('admin.users', 200) },
  createUser: {
    perRelation: true,
    setup: orgParam((world) => ({ id: world.unique('new-user'), email: 'n@x.test', displayName: 'New', level: 'viewer' })),
    expected: orgReach('admin.users', 201),
  },
  getUser: { perRelation: true, setup: userCase(), expected: userAction(200, false) },
  updateUser: { perRelation: true, setup: userCase(() => ({ displayName: 'Renamed' })), expected: userAction(200, false) },
  setUserLevel: { perRelation: true, setup: userCase(() => ({ level: 'viewer' })), expected: userAction(200, true) },
  setUserStatus: { perRelation: true, setup: userCase(() => ({ status: 'disabled' })), expected: userAction(200, true) },
  setUserOverrides: {
    perRelation: true,
    setup: userCase(() => ({ overrides: [{ permission: 'job.submit', effect: 'deny' }] })),
    expected: userAction(200, true),
  },
  setUserTeams: {
    perRelation: true,
    setup: userCase((r) => ({ teams: [{ teamId: teamOf(r), role: 'lead' }] })),
    expected: userAction(200, true),
  },
  getUserAccess: { perRelation: true, setup: userCase(), expected: userAction(200, false) },
  // levels and resource rules: the caller's org
  listLevels: { perRelation: false, expected: () => 200 },
  putLevel: {
    perRelation: false,
    setup: async (world) => ({ params: { name: world.unique('new-lvl') }, body: { priority: 5, permissions: ['job.view.own'] } }),
    expected: () => 201,
  },
  deleteLevel: {
    perRelation: true,
    setup: async (world, _a, r) => {
      const level = await makeLevel(world, r);
      return { params: { name: level.name }, watch: [level.key] };
    },
    expected: (_a, r) => (sameOrg(r) ? 204 : 404),
  },
  listResourceRules: { perRelation: false, expected: () => 200 },
  createResourceRule: {
    perRelation: false,
    setup: async () => ({ body: { type: 'hardware', pattern: 'zz-*', action: 'deny' } }),
    expected: () => 201,
  },
  getResourceRule: { perRelation: true, setup: ruleCase(), expected: (_a, r) => (sameOrg(r) ? 200 : 404) },
  replaceResourceRule: {
    perRelation: true,
    setup: ruleCase({ type: 'hardware', pattern: 'zz-*', action: 'allow' }),
    expected: (_a, r) => (sameOrg(r) ? 200 : 404),
  },
  deleteResourceRule: { perRelation: true, setup: ruleCase(), expected: (_a, r) => (sameOrg(r) ? 204 : 404) },
  // orgs
  listOrgs: { perRelation: false, expected: () => 200 },
  createOrg: {
    perRelation: false,
    setup: async (world) => ({ body: { slug: world.unique('new-org'), name: 'New' } }),
    expected: () => 201,
  },
  getOrg: { perRelation: true, setup: orgParam(), expected: orgReach('org.view', 200) },
  updateOrg: {
    perRelation: true,
    setup: async (world, actor, relation) => {
      const base = await orgParam(() => ({ name: 'Renamed org' }))(world, actor, relation);
      const orgId = orgOf(relation);
      const before = await world.access.tenancy.getOrg(orgId);
      return {
        ...base,
        cleanup: async () => void (await world.access.tenancy.updateOrg(orgId, { name: before?.name ?? orgId }, new Date().toISOString())),
      };
    },
    expected: orgReach('org.manage', 200),
  },
  deleteOrg: {
    perRelation: true,
    // The caller's own org stays (a platform admin cannot disable it: 409); another org is a fresh one.
    setup: async (world, actor, relation) => {
      if (relation !== 'otherOrg') return { params: { orgId: ORGS.acme }, watch: [keys.org(ORGS.acme)] };
      const org = await makeOrg(world);
      return { params: { orgId: org.id }, watch: [org.key] };
    },
    expected: (a, r) => (!reachesOrgOf(a, 'org.manage', r) ? 404 : r === 'otherOrg' ? 200 : 409),
  },
  // teams and members
  listTeams: { perRelation: true, setup: orgParam(), expected: orgReach('team.view', 200) },
  createTeam: {
    perRelation: true,
    setup: orgParam((world) => ({ slug: world.unique('new-team'), name: 'New team' })),
    expected: orgReach('team.create', 201),
  },
  getTeam: { perRelation: true, setup: teamCase(), expected: (a, r) => (reaches(a, 'team.view', r) ? 200 : 404) },
  listTeamMembers: { perRelation: true, setup: teamCase(), expected: (a, r) => (reaches(a, 'team.view', r) ? 200 : 404) },
  updateTeam: { perRelation: true, setup: teamCase({ name: 'Renamed team' }), expected: teamAction('team.manage', 200) },
  deleteTeam: { perRelation: true, setup: teamCase(), expected: teamAction('team.manage', 200) },
  putTeamMember: {
    perRelation: true,
    setup: memberCase({ role: 'member' }),
    expected: (a, r) =>
      teamAction('team.manage.members', 200)(a, r) === 200 && self(a, r) ? 403 : teamAction('team.manage.members', 200)(a, r),
  },
  removeTeamMember: {
    perRelation: true,
    setup: memberCase(),
    expected: (a, r) =>
      teamAction('team.manage.members', 204)(a, r) === 204 && self(a, r) ? 403 : teamAction('team.manage.members', 204)(a, r),
  },
  // quotas and usage: the caller's org; platform admins name another with ?orgId
  listQuotas: {
    perRelation: true,
    setup: async (_w, _a, r) => ({ query: { orgId: orgOf(r) } }),
    expected: orgReach('org.view', 200),
  },
  createQuota: {
    perRelation: true,
    // A team quota on the relation's team, in that team's org; removed again so every actor starts clean.
    setup: async (world, _a, r) => {
      const orgId = orgOf(r);
      return {
        query: { orgId },
        body: { metric: 'daily_jobs', scopeType: 'team', scopeId: teamOf(r), limit: 7, action: 'notify' },
        cleanup: async () => {
          for (const quota of await world.quotas.forOrg(orgId)) if (quota.limit === 7) await world.quotas.delete(orgId, quota.id);
        },
      };
    },
    expected: orgReach('admin.config', 201),
  },
  updateQuota: {
    perRelation: true,
    setup: async (world, _a, r) => {
      const quota = await makeQuota(world, r);
      return { params: { id: quota.id }, query: { orgId: orgOf(r) }, body: { limit: 999 }, watch: [quota.key] };
    },
    expected: orgReach('admin.config', 200),
  },
  deleteQuota: {
    perRelation: true,
    setup: async (world, _a, r) => {
      const quota = await makeQuota(world, r);
      return { params: { id: quota.id }, query: { orgId: orgOf(r) }, watch: [quota.key] };
    },
    expected: orgReach('admin.config', 204),
  },
  getConcurrencyLimits: { perRelation: false, expected: () => 200 },
  setConcurrencyLimits: {
    perRelation: false,
    setup: async () => ({ body: { maxConcurrent: 10_000, userMaxConcurrent: 10_000 } }),
    expected: () => 200,
  },
  getCostLimitStatus: { perRelation: false, expected: () => 200 },
  getMyLimits: { perRelation: false, expected: () => 200 },
  getUsage: {
    perRelation: true,
    setup: async (_w, _a, r) => ({
      query: { orgId: orgOf(r), scopeType: 'team', scopeId: teamOf(r), from: '2026-11-01', to: '2026-11-30' },
    }),
    expected: (a, r) => (reaches(a, 'job.view.all', r) ? 200 : 404),
  },
  // the hardware catalog: deployment-wide, read by all, changed by platform admins (platform.config)
  listHardware: { perRelation: false, expected: () => 200 },
  getHardware: { perRelation: false, setup: async () => ({ params: { id: 'cpu-small' } }), expected: () => 200 },
  putHardware: {
    perRelation: false,
    setup: async (world) => ({
      params: { id: world.unique('hw') },
      body: { gpuModel: 'none', gpuCount: 0, vcpu: 1, memoryMiB: 512, pricePerHourUsd: 0.01, enabled: true },
    }),
    expected: () => 200,
  },
  disableHardware: {
    perRelation: false,
    setup: async (world) => {
      const id = world.unique('hw');
      await world.hardware.put({
        schemaVersion: 1,
        id,
        gpuModel: 'none',
        gpuCount: 0,
        vcpu: 1,
        memoryMiB: 512,
        pricePerHourUsd: 0.01,
        enabled: true,
      });
      return { params: { id }, watch: [keys.hardwareType(id)] };
    },
    expected: () => 200,
  },
  // me and API keys: a key is its owner's alone (a platform admin does not reach others' keys either)
  getMe: { perRelation: false, expected: () => 200 },
  createApiKey: {
    perRelation: false,
    setup: async () => ({ body: { name: 'matrix', scopes: ['job.view.own'], expiresInDays: 1 } }),
    expected: () => 201,
  },
  listApiKeys: { perRelation: false, expected: () => 200 },
  // my notifications: about me, to my own address, so every signed-in user may set them (no admin.config)
  getMyNotifications: { perRelation: false, expected: () => 200 },
  replaceMyNotifications: {
    perRelation: false,
    setup: async () => ({ body: { jobEvents: ['job.failed'], approvals: true } }),
    expected: () => 200,
  },
  revokeApiKey: {
    perRelation: true,
    setup: async (world, actor, relation) => {
      const owner = ownerOf(relation, actor);
      const key = await world.call(owner, 'createApiKey', { body: { name: 'matrix', scopes: ['job.view.own'], expiresInDays: 1 } });
      // An owner without job.submit cannot hold keys; the route refuses them before any lookup anyway.
      return { params: { id: key.status === 201 ? key.json.id : ulid() } };
    },
    expected: (_a, r) => (r === 'own' ? 204 : 404),
  },
  // audit
  listAuditEntries: {
    perRelation: true,
    setup: async (_w, _a, r) => (r === 'otherOrg' ? { query: { orgId: ORGS.globex } } : {}),
    expected: orgReach('admin.audit', 200),
  },
  verifyAuditChain: {
    perRelation: true,
    setup: async (_w, _a, r) => (r === 'otherOrg' ? { query: { orgId: ORGS.globex } } : {}),
    expected: orgReach('audit.verify', 200),
  },
};

let world: AuthzWorld;
beforeAll(async () => {
  world = await createAuthzWorld();
  await seedPeople(world);
}, 60_000);

const allRoutes = API_ROUTE_GROUPS.flatMap((group) => group.routes.map((route) => ({ group: group.name, route })));
const responses = { denied: 0 };

describe('authorization matrix: every route × level × relation (DynamoDB Local, real handlers)', () => {
  for (const { group, route } of allRoutes) {
    const spec = SPECS[route.operationId];
    it(`${group}: ${route.method} ${route.path} (${route.access})`, async () => {
      const mismatches: string[] = [];
      for (const actor of ACTORS) {
        for (const relation of spec?.perRelation ? RELATIONS : (['own'] as const)) {
          const denied = route.access !== 'public' && !holds(actor, route.access);
          const testCase: Case = spec?.setup ? await spec.setup(world, actor, relation) : {};
          const before = testCase.watch ? await snapshot(world, testCase.watch) : '';
          const appendsBefore = world.auditAppends();
          const result = await world.call(actorId(actor), route.operationId, testCase);
          const label = `${actor} × ${relation}`;
          // One audit path: the middleware writes one entry per refusal and per mutation that reached its route
          // (success or failure), none for reads, 400s or outages; no route writes one of its own.
          if (route.access !== 'public') {
            const appended = world.auditAppends() - appendsBefore;
            const refused = result.status === 401 || result.status === 403;
            const changesNothing = route.method === 'GET' || DRY_RUNS.has(route.operationId) || [400, 503].includes(result.status);
            const expectedEntries = refused ? 1 : changesNothing ? 0 : 1;
            if (appended !== expectedEntries)
              mismatches.push(`${label}: ${appended} audit entries for a ${result.status}, expected ${expectedEntries}`);
          }
          if (!spec) {
            // A group this test has no object model for: the permission check alone (any answer but a 403 or a 5xx when allowed).
            const ok = denied ? result.status === 403 : result.status !== 403 && result.status < 500;
            if (!ok) mismatches.push(`${label}: got ${result.status}, expected ${denied ? 403 : 'not 403, not 5xx'}`);
          } else {
            const expected = denied ? 403 : spec.expected(actor, relation);
            if (result.status !== expected)
              mismatches.push(`${label}: got ${result.status} (${result.text.slice(0, 160)}), expected ${expected}`);
            if (result.status >= 400 && testCase.watch && (await snapshot(world, testCase.watch)) !== before)
              mismatches.push(`${label}: refused, yet changed its target`);
          }
          if (actor !== 'platform' && result.text.includes(FOREIGN_MARKER))
            mismatches.push(`${label}: response carries another org's data`);
          if (result.status === 403) responses.denied += 1;
          await testCase.cleanup?.();
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('audited every refusal, in a chain that verifies', async () => {
    const denied = await world.call(actorId('admin'), 'listAuditEntries', { query: { action: 'request.denied', limit: '100' } });
    expect(denied.status).toBe(200);
    expect(denied.json.items.length).toBeGreaterThan(0);
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await new DynamoAuditTrail(world.table.doc, world.table.tableName).query({
        orgId: ORGS.acme,
        action: 'request.denied',
        limit: 100,
        cursor,
      });
      total += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(total).toBeGreaterThanOrEqual(responses.denied);
    const verified = await world.call(actorId('admin'), 'verifyAuditChain');
    expect(verified.json).toMatchObject({ ok: true, complete: true });
    expect(verified.json.checked).toBeGreaterThan(responses.denied);
  });
});
