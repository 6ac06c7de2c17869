import * as z from 'zod/mini';
import { randomUUID } from 'node:crypto';
import middy, { type MiddlewareObj, type MiddyfiedHandler, type Request } from '@middy/core';
import type {
  APIGatewayEventRequestContextLambdaAuthorizer,
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  Context,
} from 'aws-lambda';
import type { Logger } from '#adapters/logging/logger';
import type { PrincipalGate } from '#domain/identity/access-gate';
import { hasPermission, type RouteAccess } from '#domain/authz/policy';
import type { AuditLog } from '#domain/audit/audit.port';
import type { Principal } from '#domain/authz/principal';
import { AppError, validationFailed, type FieldIssue } from '#domain/errors/app-error';
import { auditTrail, type AuditNote } from './audit-trail.middleware';
import { dependencyUnavailable, mapError } from './error-mapping';
import { jsonResult, withStandardHeaders, type ApiResult } from './http-response';
import { isOutageAuthorizerContext, principalFromAuthorizerContext, type AuthorizerContext } from './principal-context';
import { readFormBody, readJsonBody } from './request-body';
import { capFieldIssues, lowerCaseHeaders, stringMap, validatePart, type RequestLocation } from './request-validation';
import { routeKey, type RouteDeclaration } from './route';
import type { RouteTable } from './route-matcher';

/**
 * API Gateway HTTP API (payload 2.0) event, as `APIGatewayProxyEventV2WithLambdaAuthorizer` but with
 * `authorizer` optional: routes without an authorizer (the public health probes) get none.
 */
export type ApiEvent = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & { authorizer?: APIGatewayEventRequestContextLambdaAuthorizer<AuthorizerContext> }
>;

/** Per-request state the middlewares build up, read by the route dispatcher. */
export interface RequestState {
  requestId: string;
  startedAt: number;
  method: string;
  sourceIp: string;
  userAgent: string;
  logger: Logger;
  route?: RouteDeclaration;
  pathParameters: Record<string, string>;
  principal?: Principal;
  input?: { params: unknown; query: unknown; headers: unknown; body: unknown };
  /** What the route implementation added to its audit entry. */
  auditNote?: AuditNote | undefined;
}

/** The Lambda context, plus our per-request state (on a per-request object, never the caller's). */
export type ApiContext = Context & { qm?: RequestState };
type ApiRequest = Request<ApiEvent, ApiResult, Error, ApiContext>;
type ApiMiddleware = MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext>;

/** Handed to `onDenied` for every 401/403 the bundle produces (docs/permissions.md#audit-trail: every denied request is audited). */
export interface DeniedRequest {
  reason: 'unauthenticated' | 'forbidden';
  requestId: string;
  routeKey: string;
  operationId: string;
  access: RouteAccess;
  principal?: Principal;
  sourceIp: string;
  userAgent: string;
}

export interface ApiMiddlewareOptions {
  table: RouteTable<RouteDeclaration>;
  logger: Logger;
  onDenied?: ((info: DeniedRequest) => void | Promise<void>) | undefined;
  maxBodyBytes?: number | undefined;
  /** Re-reads the caller's user record before the permission check: status, level, teams, overrides are current. */
  principalGate?: PrincipalGate | undefined;
  /** Where denied requests and mutations are recorded (docs/permissions.md#audit-trail). */
  audit?: AuditLog | undefined;
}

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);

/** Powertools formats an Error (name, message, stack) itself; anything else thrown is logged as text. */
function logError(logger: Logger, message: string, error: unknown): void {
  if (error instanceof Error) logger.error(message, error);
  else logger.error(message, { error: String(error) });
}

function stateOf(request: ApiRequest): RequestState {
  const state = request.context.qm;
  if (!state) throw new Error('request state missing: requestContext middleware must run first');
  return state;
}

function routeOf(state: RequestState): RouteDeclaration {
  if (!state.route) throw new Error('route missing: routing middleware must run first');
  return state.route;
}

/** Request id, start time and a per-request child logger; logs one line per request on the way out. */
function requestContext(logger: Logger): ApiMiddleware {
  const complete = (request: ApiRequest): void => {
    const state = request.context.qm;
    if (!state) return;
    const status = request.response?.statusCode ?? 500;
    const latencyMs = Math.round((performance.now() - state.startedAt) * 100) / 100;
    state.logger.appendKeys({ status, latencyMs });
    state.logger.info('request completed');
  };
  return {
    before: (request) => {
      // Malformed events must still get an answer: read everything defensively.
      const http = request.event?.requestContext?.http;
      const requestId = text(request.event?.requestContext?.requestId, randomUUID());
      const method = text(http?.method, 'UNKNOWN').toUpperCase();
      const child = logger.createChild();
      child.setCorrelationId(requestId);
      child.appendKeys({ requestId, method });
      const lambdaContext: Partial<Context> = request.context ?? {};
      if (lambdaContext.awsRequestId) child.addContext(request.context);
      const state: RequestState = {
        requestId,
        startedAt: performance.now(),
        method,
        sourceIp: text(http?.sourceIp, 'unknown'),
        userAgent: text(http?.userAgent, 'unknown'),
        logger: child,
        pathParameters: {},
      };
      // A child object keeps the Lambda context readable without writing into an object the caller owns.
      request.context = Object.assign(Object.create(request.context ?? null) as ApiContext, { qm: state });
    },
    after: complete,
    onError: complete,
  };
}

/** Security headers and `x-request-id` on every response, errors included. */
function securityHeaders(): ApiMiddleware {
  const apply = (request: ApiRequest): void => {
    if (!request.response) return;
    request.response = withStandardHeaders(request.response, request.context.qm?.requestId ?? 'unknown');
  };
  return { after: apply, onError: apply };
}

/** Every error becomes the envelope with the status of `error-mapping.ts`; unexpected ones are logged in full. */
function errorMapping(logger: Logger): ApiMiddleware {
  return {
    onError: (request) => {
      const state = request.context.qm;
      const log = state?.logger ?? logger;
      const mapped = mapError(request.error, state?.requestId ?? 'unknown');
      if (mapped.unexpected) {
        logError(log, 'request failed', request.error);
      } else {
        log.info('request rejected', { code: mapped.envelope.error.code });
      }
      request.response = jsonResult(mapped.status, mapped.envelope, mapped.headers);
    },
  };
}

/** Finds the declaration by API Gateway `routeKey`; a `$default` catch-all route is matched by path. */
function routing(table: RouteTable<RouteDeclaration>): ApiMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      const key = text(request.event?.routeKey, '');
      let route = table.byRouteKey(key);
      let pathParameters = stringMap(request.event?.pathParameters);
      const rawPath = text(request.event?.rawPath, '/');
      if (!route && key === '$default') {
        const match = table.match(state.method, rawPath);
        route = match?.route;
        pathParameters = match?.pathParameters ?? {};
      }
      if (!route) {
        throw new AppError('route_not_found', `No route for ${state.method} ${rawPath.slice(0, 200)}`);
      }
      state.route = route;
      state.pathParameters = pathParameters;
      state.logger.appendKeys({ route: routeKey(route), operationId: route.operationId });
    },
  };
}

/** Default deny: a non-public route needs a valid principal holding the route's permission. */
function authorization(onDenied: ApiMiddlewareOptions['onDenied'], gate: PrincipalGate | undefined): ApiMiddleware {
  const deny = async (state: RequestState, reason: DeniedRequest['reason'], principal?: Principal): Promise<void> => {
    const route = routeOf(state);
    const info: DeniedRequest = {
      reason,
      requestId: state.requestId,
      routeKey: routeKey(route),
      operationId: route.operationId,
      access: route.access,
      ...(principal ? { principal } : {}),
      sourceIp: state.sourceIp,
      userAgent: state.userAgent,
    };
    state.logger.warn('request denied', {
      reason,
      access: route.access,
      ...(principal ? { userId: principal.userId, orgId: principal.orgId } : {}),
      sourceIp: state.sourceIp,
    });
    if (!onDenied) return;
    try {
      await onDenied(info);
    } catch (error) {
      // The request stays denied; a failing audit hook must not turn a 403 into a 500.
      logError(state.logger, 'onDenied hook failed', error);
    }
  };
  return {
    before: async (request) => {
      const state = stateOf(request);
      const route = routeOf(state);
      let principal = principalFromAuthorizerContext(request.event?.requestContext?.authorizer?.lambda);
      if (route.access === 'public') {
        state.principal = principal;
        return;
      }
      if (!principal && isOutageAuthorizerContext(request.event?.requestContext?.authorizer?.lambda)) {
        // The authorizer could not reach a dependency: "retry", not "sign in again" (and no audit: it is down too).
        throw dependencyUnavailable();
      }
      if (!principal) {
        await deny(state, 'unauthenticated');
        throw new AppError('unauthenticated', 'Authentication required');
      }
      if (gate) {
        // The authorizer's answer may be cached for up to a minute; the user record is the truth now.
        const outcome = await gate(principal);
        if (!outcome.ok) {
          state.principal = principal;
          const reason = outcome.reason === 'disabled' ? 'forbidden' : 'unauthenticated';
          await deny(state, reason, principal);
          if (reason === 'forbidden') throw new AppError('forbidden', 'Your account or organization is disabled');
          throw new AppError('unauthenticated', 'Authentication required');
        }
        principal = outcome.principal;
      }
      // Known before the check so a refusal is attributed to its caller in the audit trail.
      state.principal = principal;
      if (!hasPermission(principal, route.access)) {
        await deny(state, 'forbidden', principal);
        throw new AppError('forbidden', `Permission ${route.access} is required`, { permission: route.access });
      }
      state.logger.appendKeys({ userId: principal.userId, orgId: principal.orgId });
    },
  };
}

/** Parses the body and validates params, query, headers and body against the route's zod schemas. */
function inputValidation(maxBodyBytes: number | undefined): ApiMiddleware {
  return {
    before: (request) => {
      const state = stateOf(request);
      const schemas = routeOf(state).request ?? {};
      const event = request.event;
      const headers = lowerCaseHeaders(event?.headers);
      const fields: FieldIssue[] = [];
      const check = (location: RequestLocation, schema: RouteSchema | undefined, value: unknown, fallback: unknown): unknown => {
        if (!schema) return fallback;
        const result = validatePart(location, schema, value);
        if (result.ok) return result.data;
        fields.push(...result.fields);
        return undefined;
      };
      const params = check('params', schemas.params, state.pathParameters, {});
      const query = check('query', schemas.query, stringMap(event?.queryStringParameters), {});
      const headerValues = check('headers', schemas.headers, headers, {});
      let body: unknown;
      if (schemas.body) {
        const form = routeOf(state).request?.bodyEncoding === 'form';
        const parsed = (form ? readFormBody : readJsonBody)(event ?? {}, headers['content-type'], maxBodyBytes);
        if (parsed.present || z.safeParse(schemas.body, undefined).success) {
          body = check('body', schemas.body, parsed.present ? parsed.value : undefined, undefined);
        } else {
          fields.push({ field: 'body', message: form ? 'A form body is required' : 'A JSON request body is required' });
        }
      }
      if (fields.length > 0) throw validationFailed(capFieldIssues(fields));
      state.input = { params, query, headers: headerValues, body };
    },
  };
}

type RouteSchema = NonNullable<NonNullable<RouteDeclaration['request']>['params' | 'query' | 'headers' | 'body']>;

/**
 * The one middleware bundle of every API function (STYLE practice 4). Order matters: `onError` and
 * `after` run in reverse, so errors are mapped first, then audited, then get security headers, then are
 * logged.
 */
export function apiMiddlewareBundle(options: ApiMiddlewareOptions): MiddyfiedHandler<ApiEvent, ApiResult, Error, ApiContext> {
  return (
    middy<ApiEvent, ApiResult, Error, ApiContext>()
      .use(requestContext(options.logger))
      .use(securityHeaders())
      // Before errorMapping, so its after/onError run after the error has become a response (reverse order).
      .use(auditTrail(options.audit, options.logger))
      .use(errorMapping(options.logger))
      .use(routing(options.table))
      .use(authorization(options.onDenied, options.principalGate))
      .use(inputValidation(options.maxBodyBytes))
  );
}
