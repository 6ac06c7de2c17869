import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Principal } from '#domain/authz/principal';
import type { ApiEvent } from '#http/api-handler';
import { toAuthorizerContext } from '#http/principal-context';
import { buildHttpApiV2Event } from '#scripts/local/http-server';

export interface FakeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Declared route path, e.g. `/v1/jobs/{id}`; `params` fill it in. */
  route: string;
  params?: Record<string, string>;
  query?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * The payload 2.0 event API Gateway would hand a route function after the authorizer allowed `principal`:
 * built by the local server's own event builder, with the route key and path parameters API Gateway fills
 * in and the principal under `requestContext.authorizer.lambda` exactly as the authorizer encodes it.
 */
export function fakeApiEvent(request: FakeRequest, principal: Principal): ApiEvent {
  const params = request.params ?? {};
  const rawPath = request.route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const event = buildHttpApiV2Event({
    method: request.method,
    rawPath,
    rawQueryString: request.query ?? '',
    headers: {
      host: 'api.bench.test',
      'user-agent': 'qm-bench',
      ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...request.headers,
    },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    routeKey: `${request.method} ${request.route}`,
    pathParameters: params,
  });
  event.requestContext.authorizer = { lambda: toAuthorizerContext(principal) };
  return event;
}

/** A Lambda context good enough for the middleware bundle (it only reads ids and the deadline). */
export function fakeLambdaContext(functionName = 'quartermaster-bench-jobs'): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
