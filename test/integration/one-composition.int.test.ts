import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { createAuthzWorld, ORGS, type AuthzWorld } from '#test-support/authz-world';

let world: AuthzWorld;
beforeAll(async () => {
  world = await createAuthzWorld();
}, 60_000);

/**
 * What the one composition guarantees on every authenticated route, whoever builds the function (Lambda, the
 * local stack, this fixture): the access gate re-reads the caller, so a user disabled after their token was
 * issued is refused at the next request, and the refusal is audited once (DynamoDB Local, real handlers).
 */
describe('every authenticated route runs the access gate and the audit middleware', () => {
  const routes = API_ROUTE_GROUPS.flatMap((group) =>
    group.routes.filter((route) => route.access !== 'public').map((route) => ({ group, route })),
  );

  for (const { group, route } of routes) {
    it(`${group.name}: ${route.method} ${route.path} refuses a user disabled since sign-in, and audits it`, async () => {
      const id = world.unique('disabled');
      await world.putUser({ id, orgId: ORGS.acme, level: 'admin', platformAdmin: true });
      const principal = await world.principalOf(id);
      const user = await world.access.users.currentUser(id);
      if (!user) throw new Error(`no user ${id}`);
      const version = user.authzVersion ?? 0;
      expect(await world.access.users.save({ ...user, status: 'disabled', authzVersion: version + 1 }, version)).toBe(true);
      const before = world.auditAppends();
      const result = await world.call(principal, route.operationId, {});
      expect([401, 403], result.text).toContain(result.status);
      expect(world.auditAppends() - before).toBe(1);
    });
  }
});
