import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { buildHttpApiV2Event } from '#scripts/local/http-server';
import { createLogger } from '#adapters/logging/logger';
import type { Principal } from '#domain/authz/principal';
import { AppError, ERROR_CODES, type ErrorCode } from '#domain/errors/app-error';
import { createApiHandler, type ApiResult, type DeniedRequest } from '#http/api-handler';
import { OUTAGE_RETRY_AFTER_SECONDS } from '#adapters/runtime/dependency-outage';
import { ERROR_HTTP_STATUS, INTERNAL_ERROR_MESSAGE, UNAVAILABLE_MESSAGE } from '#http/error-mapping';
import { SECURITY_HEADERS } from '#http/http-response';
import { outageAuthorizerContext, toAuthorizerContext } from '#http/principal-context';
import { routeKey, type RouteDeclaration } from '#http/route';
import { RouteTable } from '#http/route-matcher';

const widgetBody = z
  .object({
    name: z.string().min(1),
    hardwareType: z.string().min(1),
    count: z.number().int().optional(),
    tags: z.array(z.string()).optional(),
  })
  .strict();
const widgetParams = z.object({ id: z.string().regex(/^w-\d+$/, 'a widget id') });

const routes = [
  {
    method: 'GET',
    path: '/health/live',
    operationId: 'live',
    summary: 'live',
    access: 'public',
    tags: [],
    responses: { 200: { description: 'ok' } },
  },
  {
    method: 'POST',
    path: '/v1/widgets',
    operationId: 'createWidget',
    summary: 'create',
    access: 'job.submit',
    tags: [],
    request: { body: widgetBody, headers: z.object({ 'idempotency-key': z.string().max(10).optional() }) },
    responses: { 201: { description: 'created' } },
  },
  {
    method: 'GET',
    path: '/v1/widgets/{id}',
    operationId: 'getWidget',
    summary: 'get',
    access: 'job.view.own',
    tags: [],
    request: { params: widgetParams, query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }) },
    responses: { 200: { description: 'ok' } },
  },
  {
    method: 'DELETE',
    path: '/v1/widgets/{id}',
    operationId: 'deleteWidget',
    summary: 'delete',
    access: 'admin.config',
    tags: [],
    request: { params: widgetParams },
    responses: { 204: { description: 'gone' } },
  },
  {
    method: 'POST',
    path: '/v1/boom',
    operationId: 'boom',
    summary: 'fails',
    access: 'job.view.own',
    tags: [],
    responses: { 200: { description: 'never' } },
  },
] as const satisfies readonly RouteDeclaration[];

const researcher: Principal = { userId: 'u-1', orgId: 'o-1', level: 'researcher', platformAdmin: false, teamIds: [], authMethod: 'dev' };
const table = new RouteTable<RouteDeclaration>(routes);
let nextError: unknown;
let denied: DeniedRequest[];
const seen: Record<string, unknown> = {};

const handler = createApiHandler(
  routes,
  {
    live: async ({ principal }) => ({ status: 200, body: { status: 'ok', anonymous: principal === undefined } }),
    createWidget: async ({ body, headers, principal }) => {
      seen.body = body;
      seen.headers = headers;
      return { status: 201, body: { id: 'w-1', name: body.name, owner: principal.userId }, headers: { location: '/v1/widgets/w-1' } };
    },
    getWidget: async ({ params, query, requestId }) => ({ status: 200, body: { id: params.id, limit: query.limit, requestId } }),
    deleteWidget: async () => ({ status: 204 }),
    boom: async () => {
      throw nextError;
    },
  },
  {
    logger: createLogger({ logLevel: 'SILENT' }),
    onDenied: (info) => {
      denied.push(info);
    },
  },
);

interface CallOptions {
  principal?: Principal | null;
  lambda?: Record<string, string | number | boolean>;
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  rawQueryString?: string;
}

/** Routes the request the way API Gateway would (routeKey + pathParameters), then runs the real middy chain. */
async function call(method: string, rawPath: string, options: CallOptions = {}): Promise<ApiResult & { json: any }> {
  const match = table.match(method, rawPath);
  const event = buildHttpApiV2Event({
    method,
    rawPath,
    rawQueryString: options.rawQueryString ?? '',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    routeKey: match ? routeKey(match.route) : '$default',
    ...(match ? { pathParameters: match.pathParameters } : {}),
  });
  if (options.isBase64Encoded !== undefined) event.isBase64Encoded = options.isBase64Encoded;
  if (options.body !== undefined) event.body = options.body;
  const principal = options.principal === undefined ? researcher : options.principal;
  if (options.lambda) event.requestContext.authorizer = { lambda: options.lambda };
  else if (principal) event.requestContext.authorizer = { lambda: toAuthorizerContext(principal) };
  const result = await handler(event, {} as Context);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}

const json = { 'content-type': 'application/json' };
const validWidget = JSON.stringify({ name: 'a', hardwareType: 'gpu-a10g-1x' });

beforeEach(() => {
  nextError = undefined;
  denied = [];
  for (const key of Object.keys(seen)) delete seen[key];
});

describe('routing', () => {
  it('dispatches by routeKey with validated, coerced params and query', async () => {
    const response = await call('GET', '/v1/widgets/w-42', { rawQueryString: 'limit=3&ignored=1' });
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ id: 'w-42', limit: 3 });
    expect(response.json.requestId).toBe(response.headers['x-request-id']);
  });

  it('applies query defaults', async () => {
    expect((await call('GET', '/v1/widgets/w-1')).json.limit).toBe(5);
  });

  it('answers an unknown route key with 404 route_not_found', async () => {
    const response = await call('GET', '/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json.error.code).toBe('route_not_found');
  });

  it('matches a $default route by method and path', async () => {
    const event = buildHttpApiV2Event({ method: 'GET', rawPath: '/v1/widgets/w-7', routeKey: '$default' });
    event.requestContext.authorizer = { lambda: toAuthorizerContext(researcher) };
    const result = await handler(event, {} as Context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '{}').id).toBe('w-7');
  });

  it('answers a hand-built event with a non-string body with 400, not 500', async () => {
    const event = buildHttpApiV2Event({ method: 'POST', rawPath: '/v1/widgets', routeKey: 'POST /v1/widgets', headers: json });
    event.requestContext.authorizer = { lambda: toAuthorizerContext(researcher) };
    const result = await handler({ ...event, body: { name: 'a' } as unknown as string }, {} as Context);
    expect(result.statusCode).toBe(400);
  });

  it('survives a garbage event without a 500 for the caller input', async () => {
    const result = await handler({} as never, {} as Context);
    expect(result.statusCode).toBe(404);
    expect(result.headers['x-request-id']).toBeTruthy();
  });
});

describe('validation', () => {
  it('names each field at fault as location.path', async () => {
    const response = await call('POST', '/v1/widgets', {
      headers: { ...json, 'idempotency-key': 'far-too-long-key' },
      body: JSON.stringify({ name: '', hardwareType: 7, count: 1.5, tags: ['x', 3], extra: true }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
    const fields = response.json.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['headers.idempotency-key', 'body.name', 'body.hardwareType', 'body.count', 'body.tags.1', 'body.extra']),
    );
  });

  it('rejects weird path and query values with 400, not 500', async () => {
    for (const path of ['/v1/widgets/%E0%A4%A', '/v1/widgets/..%2F..%2Fetc', `/v1/widgets/${'x'.repeat(5000)}`]) {
      const response = await call('GET', path);
      expect(response.statusCode).toBe(400);
      expect(response.json.error.details.fields[0].field).toBe('params.id');
    }
    const query = await call('GET', '/v1/widgets/w-1', { rawQueryString: `limit=${'9'.repeat(100_000)}&limit=abc` });
    expect(query.statusCode).toBe(400);
    expect(query.json.error.details.fields[0].field).toBe('query.limit');
  });

  it('ignores garbage headers it does not declare, and only passes declared ones', async () => {
    const response = await call('POST', '/v1/widgets', {
      headers: { ...json, 'X-Weird': '\u0000\u00ff'.repeat(1000), 'Idempotency-Key': 'k1' },
      body: validWidget,
    });
    expect(response.statusCode).toBe(201);
    expect(seen.headers).toEqual({ 'idempotency-key': 'k1' });
  });

  it.each([
    ['invalid JSON', '{"name": "a",', 'Body is not valid JSON'],
    ['a __proto__ key', '{"name":"a","hardwareType":"b","__proto__":{"admin":true}}', 'Key "__proto__" is not allowed'],
    ['a nested constructor key', '{"name":"a","hardwareType":"b","tags":[{"constructor":{"prototype":{}}}]}', 'is not allowed'],
    ['absurd nesting', '['.repeat(120_000) + ']'.repeat(120_000), ''],
  ])('rejects %s with 400 on field body', async (_name, body, message) => {
    const response = await call('POST', '/v1/widgets', { headers: json, body });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.details.fields[0].field).toBe('body');
    expect(response.json.error.details.fields[0].message).toContain(message);
    expect(Object.prototype).not.toHaveProperty('admin');
  });

  it.each([['null'], ['42'], ['"text"'], ['[1,2]'], ['true']])('rejects the non-object JSON body %s with 400', async (body) => {
    const response = await call('POST', '/v1/widgets', { headers: json, body });
    expect(response.statusCode).toBe(400);
    expect(response.json.error.details.fields).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it('requires a body when the schema does', async () => {
    for (const body of [undefined, '', '   ']) {
      const response = await call('POST', '/v1/widgets', { headers: json, ...(body !== undefined ? { body } : {}) });
      expect(response.statusCode).toBe(400);
      expect(response.json.error.details.fields[0].field).toBe('body');
    }
  });

  it('refuses a body that is not application/json with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '\u0000garbage']) {
      const response = await call('POST', '/v1/widgets', { headers: { 'content-type': contentType }, body: validWidget });
      expect(response.statusCode).toBe(415);
      expect(response.json.error.code).toBe('unsupported_media_type');
    }
    const missing = await call('POST', '/v1/widgets', { body: validWidget });
    expect(missing.statusCode).toBe(415);
  });

  it('accepts application/json with a utf-8 charset, and base64 bodies', async () => {
    const plain = await call('POST', '/v1/widgets', { headers: { 'content-type': 'Application/JSON; charset=UTF-8' }, body: validWidget });
    expect(plain.statusCode).toBe(201);
    const encoded = await call('POST', '/v1/widgets', {
      headers: json,
      body: Buffer.from(validWidget).toString('base64'),
      isBase64Encoded: true,
    });
    expect(encoded.statusCode).toBe(201);
    expect(seen.body).toEqual({ name: 'a', hardwareType: 'gpu-a10g-1x' });
  });

  it('rejects base64 bodies that are not UTF-8', async () => {
    const response = await call('POST', '/v1/widgets', {
      headers: json,
      body: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.statusCode).toBe(400);
  });

  it('refuses bodies over 256 KB with 413', async () => {
    const big = JSON.stringify({ name: 'a', hardwareType: 'b', tags: ['x'.repeat(256 * 1024)] });
    const response = await call('POST', '/v1/widgets', { headers: json, body: big });
    expect(response.statusCode).toBe(413);
    expect(response.json.error.code).toBe('payload_too_large');
    const encoded = await call('POST', '/v1/widgets', { headers: json, body: Buffer.from(big).toString('base64'), isBase64Encoded: true });
    expect(encoded.statusCode).toBe(413);
  });
});

describe('authorization (default deny)', () => {
  it('lets public routes run without a principal', async () => {
    const response = await call('GET', '/health/live', { principal: null });
    expect(response.statusCode).toBe(200);
    expect(response.json.anonymous).toBe(true);
  });

  it.each([
    ['no authorizer context', null, undefined],
    ['a malformed principal', null, { principal: '{"userId":' }],
    ['a principal of the wrong shape', null, { principal: JSON.stringify({ userId: 'u', level: 'god' }) }],
    ['an empty principal', null, { principal: '' }],
  ])('answers 401 for %s and reports the denial', async (_name, principal, lambda) => {
    const response = await call('GET', '/v1/widgets/w-1', { principal, ...(lambda ? { lambda } : {}) });
    expect(response.statusCode).toBe(401);
    expect(response.json.error.code).toBe('unauthenticated');
    expect(denied).toMatchObject([{ reason: 'unauthenticated', operationId: 'getWidget' }]);
  });

  it('checks authentication before input: no schema details leak to anonymous callers', async () => {
    const response = await call('POST', '/v1/widgets', { principal: null, headers: json, body: '{bad' });
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 when the principal lacks the permission, and calls onDenied', async () => {
    const response = await call('DELETE', '/v1/widgets/w-1');
    expect(response.statusCode).toBe(403);
    expect(response.json.error).toMatchObject({ code: 'forbidden', details: { permission: 'admin.config' } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      reason: 'forbidden',
      access: 'admin.config',
      routeKey: 'DELETE /v1/widgets/{id}',
      principal: { userId: 'u-1' },
      requestId: response.headers['x-request-id'],
    });
  });

  it('lets a principal with the permission through', async () => {
    const admin: Principal = { ...researcher, level: 'admin' };
    const response = await call('DELETE', '/v1/widgets/w-1', { principal: admin });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBeUndefined();
    expect(response.headers['content-type']).toBeUndefined();
  });

  it('keeps the denial when the onDenied hook throws', async () => {
    const strict = createApiHandler(
      [routes[3]],
      { deleteWidget: async () => ({ status: 204 }) },
      {
        logger: createLogger({ logLevel: 'SILENT' }),
        onDenied: () => {
          throw new Error('audit store down');
        },
      },
    );
    const event = buildHttpApiV2Event({
      method: 'DELETE',
      rawPath: '/v1/widgets/w-1',
      routeKey: 'DELETE /v1/widgets/{id}',
      pathParameters: { id: 'w-1' },
    });
    event.requestContext.authorizer = { lambda: toAuthorizerContext(researcher) };
    expect((await strict(event, {} as Context)).statusCode).toBe(403);
  });
});

describe('error mapping', () => {
  it('maps every error code through the one table', async () => {
    for (const code of ERROR_CODES.filter((c): c is Exclude<ErrorCode, 'internal'> => c !== 'internal')) {
      nextError = new AppError(code, `safe message for ${code}`, { hint: 1 });
      const response = await call('POST', '/v1/boom');
      expect(response.statusCode).toBe(ERROR_HTTP_STATUS[code]);
      expect(response.json).toEqual({ error: { code, message: `safe message for ${code}`, details: { hint: 1 } } });
    }
  });

  it('sets retry-after for rate limiting', async () => {
    nextError = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 2.2 });
    expect((await call('POST', '/v1/boom')).headers['retry-after']).toBe('3');
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 password=hunter2'), { code: 'ECONNREFUSED' })],
    ['an SDK request timeout', Object.assign(new Error('request exceeded 2000 ms'), { name: 'TimeoutError' })],
    ['a 5xx of the database', Object.assign(new Error('qm-prod: internal'), { name: 'InternalServerError', $fault: 'server' })],
  ])('turns a dependency outage (%s) into 503 unavailable with Retry-After, never a 500', async (_name, error) => {
    nextError = error;
    const response = await call('POST', '/v1/boom');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(OUTAGE_RETRY_AFTER_SECONDS));
    expect(response.json).toEqual({
      error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE, details: { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS } },
    });
    expect(response.body).not.toMatch(/hunter2|qm-prod|10\.0\.0\.1/);
  });

  it("answers the authorizer's outage marker with 503 unavailable before anything else, and audits no denial", async () => {
    const response = await call('POST', '/v1/widgets', { lambda: outageAuthorizerContext(), headers: json, body: validWidget });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe(String(OUTAGE_RETRY_AFTER_SECONDS));
    expect(response.json.error.code).toBe('unavailable');
    expect(seen.body).toBeUndefined();
    expect(denied).toEqual([]);
  });

  it('never lets the outage marker stand in for a principal: with a principal present it is ignored', async () => {
    const lambda = { ...toAuthorizerContext(researcher), unavailable: true };
    expect((await call('POST', '/v1/widgets', { lambda, headers: json, body: validWidget })).statusCode).toBe(201);
  });

  it.each([
    ['an Error with secrets in its message', new Error('connect ECONNREFUSED password=hunter2')],
    ['a thrown string', 'raw failure text'],
    ['an internal AppError', new AppError('internal', 'table qm-prod missing GSI1')],
    ['null', null],
  ])('turns %s into a generic 500 with the request id', async (_name, error) => {
    nextError = error;
    const response = await call('POST', '/v1/boom');
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({
      error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE, details: { requestId: response.headers['x-request-id'] } },
    });
    expect(response.body).not.toMatch(/hunter2|raw failure|qm-prod|stack|at /);
  });
});

describe('responses and logging', () => {
  it('sends JSON with the security headers and the request id, on success and on error', async () => {
    const ok = await call('POST', '/v1/widgets', { headers: json, body: validWidget });
    const failed = await call('GET', '/v1/widgets/nope');
    for (const response of [ok, failed]) {
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers['x-request-id']).toMatch(/.+/);
    }
    expect(ok.statusCode).toBe(201);
    expect(ok.headers.location).toBe('/v1/widgets/w-1');
  });

  describe('log output', () => {
    let lines: string[];
    beforeEach(() => {
      lines = [];
      const capture = (chunk: unknown): boolean => {
        lines.push(String(chunk));
        return true;
      };
      vi.spyOn(process.stdout, 'write').mockImplementation(capture);
      vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    });
    afterEach(() => vi.restoreAllMocks());

    it('logs one structured line per request, with correlation id, route, status and latency, never the body or credentials', async () => {
      const logged = createApiHandler(
        [routes[1]],
        { createWidget: async () => ({ status: 201, body: { ok: true } }) },
        {
          logger: createLogger({ logLevel: 'INFO' }),
        },
      );
      const event = buildHttpApiV2Event({
        method: 'POST',
        rawPath: '/v1/widgets',
        routeKey: 'POST /v1/widgets',
        headers: { ...json, authorization: 'Bearer super-secret-jwt' },
        body: JSON.stringify({ name: 'top-secret-body', hardwareType: 'x' }),
        requestId: 'req-123',
      });
      event.requestContext.authorizer = { lambda: toAuthorizerContext(researcher) };
      await logged(event, {} as Context);
      const records = lines
        .flatMap((line) => line.split('\n'))
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const completed = records.find((record) => record.message === 'request completed');
      expect(completed).toMatchObject({
        correlation_id: 'req-123',
        requestId: 'req-123',
        method: 'POST',
        route: 'POST /v1/widgets',
        status: 201,
        userId: 'u-1',
      });
      expect(typeof completed?.latencyMs).toBe('number');
      expect(lines.join('')).not.toMatch(/top-secret-body|super-secret-jwt/);
    });

    it('logs unexpected errors in full, on the server side only', async () => {
      const failing = createApiHandler(
        [routes[4]],
        { boom: async () => Promise.reject(new Error('disk on fire')) },
        {
          logger: createLogger({ logLevel: 'INFO' }),
        },
      );
      const event = buildHttpApiV2Event({ method: 'POST', rawPath: '/v1/boom', routeKey: 'POST /v1/boom' });
      event.requestContext.authorizer = { lambda: toAuthorizerContext(researcher) };
      const result = await failing(event, {} as Context);
      expect(result.body).not.toContain('disk on fire');
      expect(lines.join('')).toContain('disk on fire');
    });
  });
});
