import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { INTERNAL_ERROR_MESSAGE } from '#http/error-mapping';
import { errorResult, type ApiResult } from '#http/http-response';
import type { ApiEvent } from '#http/middleware-bundle';
import type { AuthorizerContext } from '#http/principal-context';
import { routeKey, type RouteDeclaration, type RouteGroup } from '#http/route';
import { RouteTable } from '#http/route-matcher';
import { clientErrorRefusal, rawResponse } from './client-errors';

/** What the server needs of a route group: its name (the function) and its routes. */
type ServedGroup = Pick<RouteGroup, 'name' | 'routes'>;

/**
 * A stand-in for API Gateway HTTP API on loopback: it matches the same route declarations CDK deploys,
 * runs the authorizer for non-public routes, and hands each route function a faithful payload 2.0 event,
 * so the handlers that run locally are exactly the ones that run in Lambda.
 */

export type LocalHandler = (event: ApiEvent, context: Context) => Promise<unknown>;
export type LocalAuthorizer = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<{ isAuthorized: boolean; context?: AuthorizerContext | undefined }>;

export interface HttpServerOptions {
  /** Loopback only: `127.0.0.1`, `::1` or `localhost`. */
  host: string;
  /** 0 picks a free port; read it back from `url`. */
  port: number;
  groups: readonly ServedGroup[];
  /** Called once per group, on its first request (a cold start); the promise is reused afterwards. */
  loadHandler: (group: ServedGroup) => Promise<LocalHandler>;
  authorizer: LocalAuthorizer;
  /** API Gateway's own payload limit is 10 MB; ours is tighter (default 1 MB). */
  maxBodyBytes?: number;
  /** Failures outside the route functions (authorizer threw, handler failed to load); default: stderr. */
  onError?: (error: unknown, requestId: string) => void;
  /**
   * Browser origins allowed to call the API (the console), answered as API Gateway's `corsPreflight` does:
   * preflights get 204 without authorization, responses carry `access-control-allow-origin`.
   */
  cors?: { allowOrigins: readonly string[]; allowHeaders?: readonly string[]; maxAgeSeconds?: number };
  /** One call per answered request, for a dev access log. */
  onResponse?: (entry: { requestId: string; method: string; path: string; status: number; latencyMs: number }) => void;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const LAMBDA_TIMEOUT_MS = 30_000;
const TEXT_CONTENT = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|javascript)\b)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface HttpRequestInput {
  method: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  rawQueryString?: string;
  /** Header pairs as received (any case, repeats allowed), or a plain map. */
  headers?: ReadonlyArray<readonly [string, string]> | Record<string, string>;
  body?: Buffer | string;
  /** Matched route key, or `$default` when no declared route matched. */
  routeKey?: string;
  pathParameters?: Record<string, string>;
  sourceIp?: string;
  requestId?: string;
  time?: Date;
  protocol?: string;
}

/** `12/Mar/2020:19:03:58 +0000`, API Gateway's `requestContext.time` format. */
function apiGatewayTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Commas join repeats, as payload 2.0 does for both headers and query parameters. */
function joinRepeats(pairs: Iterable<readonly [string, string]>, lowerCase: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [rawName, value] of pairs) {
    const name = lowerCase ? rawName.toLowerCase() : rawName;
    result[name] = result[name] === undefined ? value : `${result[name]},${value}`;
  }
  return result;
}

/** Builds the payload 2.0 event API Gateway would send for this request (exported for tests). */
export function buildHttpApiV2Event(input: HttpRequestInput): ApiEvent {
  const pairs = Array.isArray(input.headers) ? input.headers : Object.entries(input.headers ?? {});
  const headers = joinRepeats(pairs as Iterable<readonly [string, string]>, true);
  // Payload 2.0 moves cookies out of the headers into `cookies`, one entry per cookie.
  const cookies = (headers.cookie ?? '')
    .split(/[;,]/)
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  delete headers.cookie;
  const rawQueryString = input.rawQueryString ?? '';
  const query = joinRepeats(new URLSearchParams(rawQueryString), false);
  const bodyBuffer = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const isText = TEXT_CONTENT.test(headers['content-type'] ?? '');
  const hasBody = bodyBuffer !== undefined && bodyBuffer.length > 0;
  const time = input.time ?? new Date();
  const domainName = headers.host ?? 'localhost';
  const key = input.routeKey ?? '$default';
  return {
    version: '2.0',
    routeKey: key,
    rawPath: input.rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(input.pathParameters && Object.keys(input.pathParameters).length > 0 ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: input.method.toUpperCase(),
        path: input.rawPath,
        protocol: input.protocol ?? 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId ?? randomUUID(),
      routeKey: key,
      stage: '$default',
      time: apiGatewayTime(time),
      timeEpoch: time.getTime(),
    },
    ...(hasBody ? { body: isText ? bodyBuffer.toString('utf8') : bodyBuffer.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
}

/** The REQUEST authorizer event (payload 2.0) API Gateway sends for the same request. */
export function buildAuthorizerEvent(event: ApiEvent): APIGatewayRequestAuthorizerEventV2 {
  const { http } = event.requestContext;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:local:local/$default/${http.method}${event.rawPath}`,
    identitySource: event.headers.authorization ? [event.headers.authorization] : [],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: event.headers,
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
    ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
    requestContext: { ...event.requestContext },
  };
}

function lambdaContext(group: ServedGroup): Context {
  const deadline = Date.now() + LAMBDA_TIMEOUT_MS;
  const functionName = `quartermaster-local-${group.name}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:local:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** API Gateway's reading of a payload 2.0 result: a result without `statusCode` is a 200 JSON body. */
function toStructuredResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
  const body = typeof result === 'string' ? result : result === undefined ? '' : JSON.stringify(result);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}

function readBody(request: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve({ body: Buffer.concat(chunks), tooLarge: size > limit });
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit keep draining (so the client reads our 413), but stop buffering; past 16× give up.
      if (size > limit) {
        chunks.length = 0;
        if (size > limit * 16) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', done);
    request.on('close', done);
    request.on('error', reject);
  });
}

function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string): number {
  const status = result.statusCode ?? 200;
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name.toLowerCase(), String(value));
  if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', body.length);
  response.writeHead(status);
  response.end(body);
  return status;
}

/**
 * Starts the local API on loopback. Differences from API Gateway, on purpose: a denied authorizer answer
 * becomes our 401 `unauthenticated` envelope (API Gateway answers a bare 403 `{"message":"Forbidden"}`
 * to a simple-response `isAuthorized: false`), and errors use our envelope instead of API Gateway's
 * `{"message": ...}`. As in API Gateway, a non-public route without an `Authorization` header is refused
 * (401) without calling the authorizer (the header is the identity source), and a path that exists with
 * another method is a 404, not a 405.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  if (!LOOPBACK_HOSTS.has(options.host)) {
    throw new Error(`Refusing to bind the local HTTP server to "${options.host}": use 127.0.0.1, ::1 or localhost`);
  }
  const entries = options.groups.flatMap((group) =>
    group.routes.map((route) => ({ method: route.method, path: route.path, route, group })),
  );
  const table = new RouteTable(entries);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError =
    options.onError ??
    ((error: unknown, requestId: string) =>
      process.stderr.write(
        `local http server: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ));
  const handlers = new Map<string, Promise<LocalHandler>>();
  const handlerFor = (group: ServedGroup): Promise<LocalHandler> => {
    let loading = handlers.get(group.name);
    if (!loading) {
      loading = options.loadHandler(group);
      handlers.set(group.name, loading);
      loading.catch(() => handlers.delete(group.name)); // a failed cold start is retried on the next request
    }
    return loading;
  };

  const serve = async (request: IncomingMessage, requestId: string): Promise<APIGatewayProxyStructuredResultV2 | ApiResult> => {
    const { body, tooLarge } = await readBody(request, maxBodyBytes);
    if (tooLarge) return errorResult(413, 'payload_too_large', `Request body exceeds ${maxBodyBytes} bytes`, requestId);
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    let rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    if (!rawPath.startsWith('/')) rawPath = new URL(target, 'http://localhost').pathname;
    const method = (request.method ?? 'GET').toUpperCase();
    const match = table.match(method, rawPath);
    if (!match) return errorResult(404, 'route_not_found', `No route for ${method} ${rawPath.slice(0, 200)}`, requestId);
    const { route, group } = match.route;
    const event = buildHttpApiV2Event({
      method,
      rawPath,
      rawQueryString: queryAt === -1 ? '' : target.slice(queryAt + 1),
      headers: pairsOf(request.rawHeaders),
      body,
      routeKey: routeKey(route),
      pathParameters: match.pathParameters,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      requestId,
      protocol: `HTTP/${request.httpVersion}`,
    });
    if (!isPublic(route)) {
      if (!event.headers.authorization) return errorResult(401, 'unauthenticated', 'Authentication required', requestId);
      const decision = await options.authorizer(buildAuthorizerEvent(event));
      if (!decision.isAuthorized) return errorResult(401, 'unauthenticated', 'Authentication required', requestId);
      event.requestContext.authorizer = { lambda: decision.context ?? {} };
    }
    const handler = await handlerFor(group);
    return toStructuredResult(await handler(event, lambdaContext(group)));
  };

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    const started = performance.now();
    if (options.cors && answerCors(options.cors, request, response)) return;
    serve(request, requestId)
      .catch((error: unknown) => {
        onError(error, requestId);
        return errorResult(500, 'internal', INTERNAL_ERROR_MESSAGE, requestId, { requestId });
      })
      .then((result) => {
        const status = response.headersSent ? response.statusCode : writeResult(response, result, requestId);
        const path = (request.url ?? '/').split('?')[0] ?? '/';
        options.onResponse?.({ requestId, method: request.method ?? '', path, status, latencyMs: performance.now() - started });
      })
      .catch(() => response.destroy());
  });
  // What Node refuses before a request exists (an over-long URL or header block, a malformed header or
  // request line) still gets the error envelope, as everything the API answers does.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const refusal = clientErrorRefusal(error.code);
    if (!refusal || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    socket.end(rawResponse(errorResult(refusal.status, refusal.code, refusal.message, requestId), requestId));
    options.onResponse?.({ requestId, method: '', path: '', status: refusal.status, latencyMs: 0 });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const isPublic = (route: RouteDeclaration): boolean => route.access === 'public';

const CORS_METHODS = 'GET,POST,PUT,PATCH,DELETE';
const CORS_DEFAULT_HEADERS = ['authorization', 'content-type', 'idempotency-key'];

/**
 * CORS as API Gateway HTTP API applies it: a preflight from an allowed origin is answered here (true), and
 * other requests from an allowed origin go on with the allow-origin header set. Unknown origins get no
 * CORS headers, so the browser blocks them.
 */
function answerCors(cors: NonNullable<HttpServerOptions['cors']>, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (!origin || !cors.allowOrigins.includes(origin)) return false;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'origin');
  if (request.method !== 'OPTIONS' || !request.headers['access-control-request-method']) return false;
  response.setHeader('access-control-allow-methods', CORS_METHODS);
  response.setHeader('access-control-allow-headers', (cors.allowHeaders ?? CORS_DEFAULT_HEADERS).join(','));
  response.setHeader('access-control-max-age', String(cors.maxAgeSeconds ?? 600));
  response.writeHead(204).end();
  return true;
}

function pairsOf(rawHeaders: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) pairs.push([rawHeaders[index] ?? '', rawHeaders[index + 1] ?? '']);
  return pairs;
}
