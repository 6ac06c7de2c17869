import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createLogger } from '#adapters/logging/logger';
import type { Principal } from '#domain/authz/principal';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { createApiHandler } from '#http/api-handler';
import { buildOpenApiDocument } from '#http/openapi';
import { toAuthorizerContext } from '#http/principal-context';
import { UNKNOWN_FIELD_MESSAGE } from '#http/request-validation';
import { routeKey, type RouteDeclaration } from '#http/route';
import { strictSchema } from '#http/strict-schema';
import { buildHttpApiV2Event } from '#scripts/local/http-server';

/**
 * Strict request bodies on every route, generated from the route table: a route added later with a body
 * is covered without anyone writing a case for it. Each route's body is sent through the real middy
 * bundle (stub implementations: the bundle refuses before any would run) with one undeclared field, and
 * must answer 400 naming `body.<field>`.
 */
const silent = createLogger({ logLevel: 'SILENT' });
const platformAdmin: Principal = {
  userId: 'root',
  orgId: 'acme',
  level: 'admin',
  platformAdmin: true,
  teamIds: ['vision'],
  authMethod: 'session',
};
const withBody = API_ROUTE_GROUPS.flatMap((group) =>
  group.routes.filter((route) => route.request?.body).map((route) => ({ group: group.name, route })),
);

/**
 * A discriminated union can only name an undeclared field once the discriminator picks a branch: the
 * probe carries the first branch's discriminator value, and nothing else the route declares.
 */
function discriminatorOf(schema: z.core.$ZodType | undefined): Record<string, unknown> {
  const def = schema?._zod.def as { type: string; discriminator?: string; options?: z.core.$ZodType[] } | undefined;
  if (def?.type !== 'union' || !def.discriminator || !def.options?.[0]) return {};
  const values = [...(def.options[0]._zod.propValues?.[def.discriminator] ?? [])];
  return { [def.discriminator]: values[0] };
}

async function send(route: RouteDeclaration, body: unknown) {
  const routes = [route] as const;
  const handler = createApiHandler(routes, { [route.operationId]: async () => ({ status: 200, body: {} }) }, { logger: silent });
  const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1] ?? '', 'x1']));
  // A form (an HTML page's post) carries strings: each field as its JSON text, which is enough to be refused.
  const form = route.request?.bodyEncoding === 'form';
  const event = buildHttpApiV2Event({
    method: route.method,
    rawPath: route.path.replace(/\{(\w+)\}/g, 'x1'),
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', 'idempotency-key': 'k-1' },
    body: form
      ? new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([name, value]): [string, string] => [name, String(value)])).toString()
      : JSON.stringify(body),
    routeKey: routeKey(route),
    pathParameters: params,
  });
  event.requestContext.authorizer = { lambda: toAuthorizerContext(platformAdmin) };
  const result = await handler(event, {} as Context);
  return {
    status: result.statusCode,
    json: JSON.parse(result.body ?? '{}') as { error?: { details?: { fields?: Array<{ field: string; message: string }> } } },
  };
}

describe('strict request bodies, on every route with a body (generated from the route table)', () => {
  it('finds the routes (a guard against a table that silently yields nothing)', () => {
    expect(withBody.length).toBeGreaterThan(20);
  });

  it.each(withBody.map(({ group, route }) => [`${group}: ${routeKey(route)}`, route] as const))(
    '%s answers an undeclared field with 400 naming it',
    async (_name, route) => {
      const response = await send(route, { ...discriminatorOf(route.request?.body), qmUndeclaredField: true });
      expect(response.status).toBe(400);
      expect(response.json.error?.details?.fields).toContainEqual({ field: 'body.qmUndeclaredField', message: UNKNOWN_FIELD_MESSAGE });
    },
  );

  it('names a field nested in an object inside an array, too (a job env entry)', async () => {
    const route = withBody.find(({ route }) => route.operationId === 'submitJob')?.route;
    if (!route) throw new Error('submitJob has no body');
    const response = await send(route, {
      name: 'x',
      image: 'busybox',
      command: ['true'],
      hardwareType: 'cpu-small',
      maxRuntimeMinutes: 5,
      env: [{ name: 'A', value: 'b', valueFrom: 'secret' }],
    });
    expect(response.status).toBe(400);
    expect(response.json.error?.details?.fields).toEqual([{ field: 'body.env.0.valueFrom', message: UNKNOWN_FIELD_MESSAGE }]);
  });

  it('accepts the same body without the undeclared field (strictness refuses only what is undeclared)', async () => {
    const route = withBody.find(({ route }) => route.operationId === 'createApiKey')?.route;
    if (!route) throw new Error('createApiKey has no body');
    expect((await send(route, { name: 'ci', scopes: ['job.submit'], expiresInDays: 30 })).status).toBe(200);
    const refused = await send(route, { name: 'ci', scopes: ['job.submit'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(refused.status).toBe(400);
    expect(refused.json.error?.details?.fields).toEqual([{ field: 'body.expiresAt', message: UNKNOWN_FIELD_MESSAGE }]);
  });

  it('keeps declared catchalls and records open: a record of settings still takes any key', () => {
    const schema = z.object({ labels: z.record(z.string(), z.string()), nested: z.object({ a: z.number() }) });
    expect(z.safeParse(strictSchema(schema), { labels: { anything: 'goes' }, nested: { a: 1 } }).success).toBe(true);
    expect(z.safeParse(strictSchema(schema), { labels: {}, nested: { a: 1, b: 2 } }).success).toBe(false);
  });
});

describe('the OpenAPI document says so', () => {
  it('every object a request body may contain has additionalProperties: false (or its own catchall schema)', () => {
    const document = buildOpenApiDocument(API_ROUTE_GROUPS, { version: 'test' }) as unknown as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    const resolve = (schema: Record<string, unknown>): Record<string, unknown> =>
      typeof schema.$ref === 'string' ? (document.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {}) : schema;
    let bodies = 0;
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        const content = operation.requestBody?.content;
        const schema = (content?.['application/json'] ?? content?.['application/x-www-form-urlencoded'])?.schema;
        if (!schema) continue;
        bodies += 1;
        const root = resolve(schema);
        const variants = (root.oneOf ?? root.anyOf ?? [root]) as Array<Record<string, unknown>>;
        for (const variant of variants) expect(resolve(variant).additionalProperties).toBe(false);
      }
    }
    expect(bodies).toBe(withBody.length);
  });
});
