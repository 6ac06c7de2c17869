import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';
import {
  CALLERS,
  changesOutsideAttacker,
  restoreVictimTeams,
  seedTenants,
  seedVictimObjects,
  tableState,
  VICTIM_MARKER,
  type Caller,
  type VictimObjects,
} from '#test-support/isolation-fixtures';
import { ISOLATION, type Attempt } from './tenant-isolation.cases';

/**
 * Tenant isolation, generated from the route table (issue 16; docs/permissions.md#tenancy): for every route of
 * API_ROUTE_GROUPS, org B's admin tries it on org A's objects — ids in the path, query and body, the team slug
 * both orgs use included — through the real handlers and middleware chain against DynamoDB Local. Each attempt
 * must get its declared answer (404, or 403 where the permission check comes first), leak none of org A's data,
 * and leave every item of the table outside org B's own partitions byte-for-byte unchanged (the whole table is
 * scanned before and after). A control then repeats each 404 as org A's admin, which must succeed, so that no
 * case passes by aiming at nothing. Routes without an org-scoped id state why in `tenant-isolation.cases.ts`;
 * a route with neither an attempt nor a reason fails here.
 */
const allRoutes = API_ROUTE_GROUPS.flatMap((group) => group.routes.map((route) => ({ group: group.name, route })));
const pathParams = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

let world: AuthzWorld;
beforeAll(async () => {
  world = await createAuthzWorld();
  await seedTenants(world);
}, 60_000);

const callerId = (caller: Caller, victim: VictimObjects): string => (caller === 'owner' ? victim.user : CALLERS[caller]);

/** What went wrong with one attempt (empty when it held). */
async function attempt(operationId: string, path: string, victim: VictimObjects, spec: Attempt): Promise<string[]> {
  const problems: string[] = [];
  const label = `${operationId} (${spec.what})`;
  const input = spec.input(victim);
  const missing = pathParams(path).filter((name) => input.params?.[name] === undefined);
  if (missing.length > 0) return [`${label}: path parameter(s) ${missing.join(', ')} not set: a missing id would make a trivial 404`];

  const expected = spec.expect ?? 404;
  const before = await tableState(world);
  const result = await world.call(CALLERS.attacker, operationId, input);
  const after = await tableState(world);
  if (result.status !== expected) problems.push(`${label}: got ${result.status} (${result.text.slice(0, 200)}), expected ${expected}`);
  if (result.text.includes(VICTIM_MARKER)) problems.push(`${label}: the response carries org A's data`);
  const changed = changesOutsideAttacker(before, after);
  if (changed.length > 0) problems.push(`${label}: changed items outside org B: ${changed.join('; ')}`);

  const control = spec.control ?? (expected === 404 ? 'victimAdmin' : false);
  if (control) {
    const proof = await world.call(callerId(control, victim), operationId, input);
    if (proof.status >= 300)
      problems.push(`${label}: the control as ${control} got ${proof.status} (${proof.text.slice(0, 200)}): the attempt aims at nothing`);
  }
  return problems;
}

describe('tenant isolation: org B’s admin on org A’s objects, every route (DynamoDB Local, real handlers)', () => {
  it('has an isolation case, or a stated reason for none, for every route', () => {
    const undeclared = allRoutes.filter(({ route }) => !ISOLATION[route.operationId]).map(({ route }) => route.operationId);
    expect(undeclared, 'declare these in test/integration/tenant-isolation.cases.ts').toEqual([]);
    const stale = Object.keys(ISOLATION).filter((operationId) => !allRoutes.some(({ route }) => route.operationId === operationId));
    expect(stale, 'cases for routes that no longer exist').toEqual([]);
  });

  for (const { group, route } of allRoutes) {
    const isolation = ISOLATION[route.operationId];
    if (!isolation || 'none' in isolation) continue;
    it(`${group}: ${route.method} ${route.path} — ${isolation.attempts.map((a) => a.what).join('; ')}`, async () => {
      // A stub would answer anything: the attempts need the group's real handler in test/support/authz-world.ts.
      expect(world.stubbed.has(group), `route group ${group} is served by a stub in authz-world`).toBe(false);
      const victim = await seedVictimObjects(world);
      const problems: string[] = [];
      for (const spec of isolation.attempts) problems.push(...(await attempt(route.operationId, route.path, victim, spec)));
      await restoreVictimTeams(world);
      expect(problems).toEqual([]);
    });
  }
});
