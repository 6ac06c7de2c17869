import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { jobsRoutes } from '#functions/api/jobs/jobs.routes';
import { logsRoutes } from '#functions/api/logs/logs.routes';
import { createLogger } from '#adapters/logging/logger';
import { PERMISSIONS } from '#domain/authz/permissions';
import type { Principal } from '#domain/authz/principal';
import { createApiHandler, defineRoute, routeById, type RouteContext } from '#http/api-handler';
import { routeKey, type RouteDeclaration } from '#http/route';

const allRoutes = API_ROUTE_GROUPS.flatMap((group) => group.routes.map((route) => ({ group: group.name, route })));
const known = new Set<string>(['public', ...PERMISSIONS]);
const silent = createLogger({ logLevel: 'SILENT' });

/** Every route anyone may call without a credential; adding one to this list is a security review. */
const PUBLIC_ROUTES = [
  'GET /health/live',
  'GET /health/ready',
  'GET /v1/auth/oidc/{provider}/login',
  'GET /v1/auth/oidc/{provider}/callback',
  'POST /v1/auth/ldap/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/break-glass',
  'GET /.well-known/jwks.json',
  // Approval-email links: the signed token in the link is the credential (docs/approvals.md).
  'GET /v1/approval-links',
  'POST /v1/approval-links',
] as const;

describe('default deny: every route declares its access', () => {
  it.each(allRoutes.map(({ group, route }) => [`${group}: ${routeKey(route)}`, route] as const))(
    '%s names public or a known permission',
    (_name, route) => {
      expect(known.has(route.access), `${routeKey(route)} declares unknown access "${String(route.access)}"`).toBe(true);
    },
  );

  it('makes public only the health probes, the sign-in endpoints and the approval-link pages (an explicit allow-list)', () => {
    const publicRoutes = allRoutes.filter(({ route }) => route.access === 'public').map(({ route }) => routeKey(route));
    expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('has unique route keys and operationIds across all groups', () => {
    const keys = allRoutes.map(({ route }) => routeKey(route));
    const ids = allRoutes.map(({ route }) => route.operationId);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('createApiHandler refuses unsafe route tables at construction', () => {
  const declare = <const R extends RouteDeclaration>(route: R): R => route;
  const base = {
    method: 'GET',
    path: '/v1/things',
    operationId: 'listThings',
    summary: 's',
    tags: ['t'],
    responses: { 200: { description: 'ok' } },
  } as const;
  const impl = async () => ({ status: 200 });

  it('rejects an access that is neither public nor a permission', () => {
    // @ts-expect-error — the type already forbids it; the runtime check covers casts and generated tables.
    const route: RouteDeclaration = { ...base, tags: ['t'], access: 'job.everything' };
    expect(() => createApiHandler([route], { listThings: impl }, { logger: silent })).toThrow(/unknown access "job.everything"/);
  });

  it('rejects a missing implementation and an implementation without a route', () => {
    const route = declare({ ...base, tags: ['t'], access: 'job.view.own' });
    expect(() => createApiHandler([route], {} as never, { logger: silent })).toThrow(/has no implementation/);
    expect(() => createApiHandler([route], { listThings: impl, extra: impl } as never, { logger: silent })).toThrow(
      /extra has no declared route/,
    );
  });

  it('rejects duplicate routes and unvalidated path parameters', () => {
    const route = declare({ ...base, tags: ['t'], access: 'job.view.own' });
    expect(() =>
      createApiHandler([route, { ...route, operationId: 'again' }], { listThings: impl, again: impl }, { logger: silent }),
    ).toThrow(/Duplicate route/);
    const withParam = declare({ ...route, path: '/v1/things/{id}' });
    expect(() => createApiHandler([withParam], { listThings: impl }, { logger: silent })).toThrow(/path parameter\(s\) id/);
    const validated = declare({ ...withParam, request: { params: z.object({ id: z.string() }) } });
    expect(() => createApiHandler([validated], { listThings: impl }, { logger: silent })).not.toThrow();
  });
});

describe('route implementations are typed from their declarations', () => {
  it('types body, headers, params, query and principal through defineRoute', () => {
    const submit = defineRoute(routeById(jobsRoutes, 'submitJob'), async (ctx) => {
      expectTypeOf(ctx.principal).toEqualTypeOf<Principal>();
      // A submission may take hardwareType from its template: optional in the body, required in the resolved spec.
      expectTypeOf(ctx.body.hardwareType).toEqualTypeOf<string | undefined>();
      expectTypeOf(ctx.body.name).toEqualTypeOf<string>();
      expectTypeOf(ctx.headers['idempotency-key']).toEqualTypeOf<string | undefined>();
      return { status: 201 };
    });
    const logs = defineRoute(routeById(logsRoutes, 'getJobLogs'), async (ctx) => {
      expectTypeOf(ctx.params.id).toEqualTypeOf<string>();
      expectTypeOf(ctx.query.limit).toEqualTypeOf<number>();
      return { status: 200 };
    });
    expect(typeof submit).toBe('function');
    expect(typeof logs).toBe('function');
    expect(routeById(jobsRoutes, 'getJob').path).toBe('/v1/jobs/{id}');
    expectTypeOf<RouteContext['body']>().toEqualTypeOf<unknown>();
    expectTypeOf<RouteContext['principal']>().toEqualTypeOf<Principal | undefined>();
  });
});
