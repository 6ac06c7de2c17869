import { connect } from 'node:net';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildHttpApiV2Event, startHttpServer, type RunningHttpServer } from '#scripts/local/http-server';
import { createLogger } from '#adapters/logging/logger';
import type { Principal } from '#domain/authz/principal';
import { createApiHandler, type ApiEvent } from '#http/api-handler';
import { SECURITY_HEADERS } from '#http/http-response';
import { toAuthorizerContext } from '#http/principal-context';
import type { RouteDeclaration, RouteGroup } from '#http/route';

const thingsRoutes = [
  {
    method: 'GET',
    path: '/health/live',
    operationId: 'live',
    summary: 'l',
    access: 'public',
    tags: ['t'],
    responses: { 200: { description: 'ok' } },
  },
  {
    method: 'POST',
    path: '/v1/things/{id}',
    operationId: 'touchThing',
    summary: 't',
    access: 'job.submit',
    tags: ['t'],
    request: { params: z.object({ id: z.string().min(1) }), body: z.object({ note: z.string() }).strict() },
    responses: { 200: { description: 'ok' } },
  },
] as const satisfies readonly RouteDeclaration[];
const rawRoutes = [
  {
    method: 'PUT',
    path: '/v1/raw/{key}',
    operationId: 'raw',
    summary: 'r',
    access: 'job.view.own',
    tags: ['t'],
    responses: { 200: { description: 'ok' } },
  },
] as const satisfies readonly RouteDeclaration[];

const groups: Pick<RouteGroup, 'name' | 'routes'>[] = [
  { name: 'things', routes: thingsRoutes },
  { name: 'raw', routes: rawRoutes },
];
const researcher: Principal = { userId: 'u-1', orgId: 'o-1', level: 'researcher', platformAdmin: false, teamIds: [], authMethod: 'dev' };

const thingsHandler = createApiHandler(
  thingsRoutes,
  {
    live: async () => ({ status: 200, body: { status: 'ok' } }),
    touchThing: async ({ params, body, principal }) => ({ status: 200, body: { id: params.id, note: body.note, by: principal.userId } }),
  },
  { logger: createLogger({ logLevel: 'SILENT' }) },
);

let server: RunningHttpServer;

/** Writes raw bytes to the server and reads everything until it closes the connection. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}
let authorizerCalls: APIGatewayRequestAuthorizerEventV2[];
let rawEvents: ApiEvent[];
let rawBehaviour: 'echo' | 'throw';
let loads: Record<string, number>;
let failNextLoad = false;

beforeAll(async () => {
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    groups,
    loadHandler: async (group) => {
      loads[group.name] = (loads[group.name] ?? 0) + 1;
      if (failNextLoad) {
        failNextLoad = false;
        throw new Error('cold start failed');
      }
      if (group.name === 'things') return thingsHandler;
      return async (event) => {
        rawEvents.push(event);
        if (rawBehaviour === 'throw') throw new Error('handler exploded: secret=abc');
        return {
          statusCode: 202,
          headers: { 'X-Custom': 'yes' },
          cookies: ['a=1', 'b=2'],
          body: Buffer.from([0, 1, 2]).toString('base64'),
          isBase64Encoded: true,
        };
      };
    },
    authorizer: async (event) => {
      authorizerCalls.push(event);
      const ok = event.identitySource[0] === 'Bearer good';
      return ok ? { isAuthorized: true, context: toAuthorizerContext(researcher) } : { isAuthorized: false };
    },
    onError: () => undefined,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  authorizerCalls = [];
  rawEvents = [];
  rawBehaviour = 'echo';
  loads = {};
});

const auth = { authorization: 'Bearer good' };

describe('startHttpServer', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', ''])('refuses to bind to %j', async (host) => {
    await expect(
      startHttpServer({ host, port: 0, groups, loadHandler: async () => thingsHandler, authorizer: async () => ({ isAuthorized: false }) }),
    ).rejects.toThrow(/Refusing to bind/);
  });

  it('listens on loopback', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a public route without calling the authorizer', async () => {
    const response = await fetch(`${server.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(authorizerCalls).toHaveLength(0);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value);
  });

  it('serves a protected route end to end through the authorizer and the real middy chain', async () => {
    const response = await fetch(`${server.url}/v1/things/a%20b`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'hi' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'a b', note: 'hi', by: 'u-1' });
    expect(response.headers.get('x-request-id')).toBe(response.headers.get('apigw-requestid'));
    expect(authorizerCalls).toHaveLength(1);
    expect(authorizerCalls[0]).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeKey: 'POST /v1/things/{id}',
      identitySource: ['Bearer good'],
      rawPath: '/v1/things/a%20b',
      routeArn: expect.stringMatching(/^arn:aws:execute-api:local:local:local\/\$default\/POST\/v1\/things\/a%20b$/),
      pathParameters: { id: 'a b' },
    });
  });

  it('maps validation errors from the handler through unchanged', async () => {
    const response = await fetch(`${server.url}/v1/things/x`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"note":1}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { details: { fields: Array<{ field: string }> } } }).error.details.fields[0]?.field).toBe(
      'body.note',
    );
  });

  it('answers 401 without calling the authorizer when the Authorization header is missing', async () => {
    const response = await fetch(`${server.url}/v1/things/x`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect(authorizerCalls).toHaveLength(0);
  });

  it('answers 401 (our envelope) when the authorizer denies', async () => {
    const response = await fetch(`${server.url}/v1/things/x`, { method: 'POST', headers: { authorization: 'Bearer bad' } });
    expect(response.status).toBe(401);
    expect(authorizerCalls).toHaveLength(1);
  });

  it('answers 404 route_not_found for unknown paths and for a known path with another method', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/things/x'],
      ['DELETE', '/health/live'],
      ['GET', '/health/live/extra'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    }
  });

  it('refuses bodies over 1 MB with 413', async () => {
    const response = await fetch(`${server.url}/v1/things/x`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('builds a faithful payload 2.0 event and writes the structured result back', async () => {
    const response = await fetch(`${server.url}/v1/raw/k%2F1?a=1&a=2&b=x%20y`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/octet-stream', cookie: 'c1=v1; c2=v2', 'X-Trace': 't' },
      body: new Uint8Array([0xff, 0x00, 0x10]),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2]);
    const event = rawEvents[0];
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PUT /v1/raw/{key}',
      rawPath: '/v1/raw/k%2F1',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { key: 'k/1' },
      isBase64Encoded: true,
      body: Buffer.from([0xff, 0x00, 0x10]).toString('base64'),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        stage: '$default',
        routeKey: 'PUT /v1/raw/{key}',
        http: { method: 'PUT', path: '/v1/raw/k%2F1', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        authorizer: { lambda: toAuthorizerContext(researcher) },
      },
    });
    expect(event?.headers['x-trace']).toBe('t');
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event?.requestContext.timeEpoch).toBe('number');
  });

  it('turns a handler exception into a 500 envelope without leaking it', async () => {
    rawBehaviour = 'throw';
    const response = await fetch(`${server.url}/v1/raw/k`, { method: 'PUT', headers: auth });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(text).not.toContain('secret=abc');
  });

  it.each([
    ['an over-long URL', (path: string) => `GET ${path}?${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers_too_large'],
    [
      'an over-long header block',
      (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    ['a malformed header line', (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nNot A Header\r\n\r\n`, 400, 'validation_failed'],
    ['a malformed request line', () => `GET\r\n\r\n`, 400, 'validation_failed'],
  ])('answers %s (refused by Node before any handler) with the error envelope', async (_what, request, status, code) => {
    const answer = await rawExchange(server.url, request('/health/live'));
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(head.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(JSON.parse(body)).toMatchObject({ error: { code } });
  });

  it('loads each group once, and retries a failed cold start', async () => {
    const fresh = await startHttpServer({
      host: 'localhost',
      port: 0,
      groups,
      loadHandler: async (group) => {
        loads[group.name] = (loads[group.name] ?? 0) + 1;
        if (failNextLoad) {
          failNextLoad = false;
          throw new Error('cold start failed');
        }
        return thingsHandler;
      },
      authorizer: async () => ({ isAuthorized: true }),
      onError: () => undefined,
    });
    try {
      failNextLoad = true;
      expect((await fetch(`${fresh.url}/health/live`)).status).toBe(500);
      expect((await fetch(`${fresh.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${fresh.url}/health/live`)).status).toBe(200);
      expect(loads.things).toBe(2);
    } finally {
      await fresh.close();
    }
  });
});

describe('buildHttpApiV2Event', () => {
  it('lower-cases and comma-joins headers, keeps text bodies as text, omits empty parts', () => {
    const event = buildHttpApiV2Event({
      method: 'post',
      rawPath: '/v1/x',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Dup', 'a'],
        ['x-dup', 'b'],
      ],
      body: '{"a":1}',
    });
    expect(event.headers).toEqual({ 'content-type': 'application/json', 'x-dup': 'a,b' });
    expect(event.body).toBe('{"a":1}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('cookies');
  });
});
