import * as z from 'zod/mini';
import type { MiddyfiedHandler } from '@middy/core';
import { getLogger, type Logger } from '#adapters/logging/logger';
import type { PrincipalGate } from '#domain/identity/access-gate';
import { PERMISSIONS } from '#domain/authz/permissions';
import type { AuditLog } from '#domain/audit/audit.port';
import { normalizeHeaders, jsonResult, type ApiResult } from './http-response';
import { apiMiddlewareBundle, type ApiContext, type ApiEvent, type DeniedRequest, type RequestState } from './middleware-bundle';
import { DEFAULT_MAX_BODY_BYTES } from './request-body';
import { responseSchemaOf, routeKey, type RouteDeclaration } from './route';
import type { RouteContext, RouteImplementation, RouteImplementations, RouteResult } from './route-context';
import { pathParameterNames, RouteTable } from './route-matcher';

export type { ApiContext, ApiEvent, DeniedRequest } from './middleware-bundle';
export type { ApiResult } from './http-response';
export type { AuditNote } from './audit-trail.middleware';
export type {
  RouteContext,
  RouteImplementation,
  RouteImplementations,
  RouteInput,
  RouteOf,
  RoutePrincipal,
  RouteResult,
} from './route-context';
export { defineRoute, routeById } from './route-context';

export interface ApiHandlerOptions {
  /** Defaults to the process-wide logger (`getLogger()`); each request logs through a child of it. */
  logger?: Logger;
  /** Called for every 401/403 after the structured warning is logged; the audit trail plugs in here. */
  onDenied?: (info: DeniedRequest) => void | Promise<void>;
  /** Default 256 KB. */
  maxBodyBytes?: number;
  /**
   * Check each response against the schema declared for its status (and that the status is declared);
   * a mismatch becomes a 500. For tests and the local stack: it costs a parse per response.
   */
  validateResponses?: boolean;
  /**
   * Runs before every permission check with the authorizer's principal and returns the current one (from
   * the user record), or refuses it: see `domain/identity/access-gate.ts`. Every deployed function sets it.
   */
  principalGate?: PrincipalGate;
  /** Records denied requests and mutations (`audit-trail.middleware.ts`). Every deployed function sets it. */
  audit?: AuditLog;
}

export type ApiHandler = MiddyfiedHandler<ApiEvent, ApiResult, Error, ApiContext>;

const KNOWN_ACCESS: ReadonlySet<string> = new Set<string>(['public', ...PERMISSIONS]);

/**
 * Refuses, at cold start, a route table that could misbehave at request time: unknown access (the
 * type forbids it, but declarations can arrive through `as` casts or JSON), duplicates, a route without
 * an implementation or an implementation without a route, and path parameters the params schema does
 * not validate.
 */
function assertDeclarations(routes: readonly RouteDeclaration[], implementations: Record<string, unknown>): void {
  const operationIds = new Set<string>();
  for (const route of routes) {
    const key = routeKey(route);
    if (!KNOWN_ACCESS.has(route.access)) throw new Error(`Route ${key} declares unknown access "${String(route.access)}"`);
    if (operationIds.has(route.operationId)) throw new Error(`Duplicate operationId ${route.operationId}`);
    operationIds.add(route.operationId);
    if (typeof implementations[route.operationId] !== 'function') {
      throw new Error(`Route ${key} (${route.operationId}) has no implementation`);
    }
    const names = pathParameterNames(route.path);
    const shape: Record<string, unknown> = route.request?.params?._zod.def.shape ?? {};
    const unvalidated = names.filter((name) => !(name in shape));
    if (unvalidated.length > 0) {
      throw new Error(`Route ${key} must validate path parameter(s) ${unvalidated.join(', ')} in request.params`);
    }
  }
  for (const operationId of Object.keys(implementations)) {
    if (!operationIds.has(operationId)) throw new Error(`Implementation ${operationId} has no declared route`);
  }
}

function toApiResult(route: RouteDeclaration, result: RouteResult, validateResponses: boolean): ApiResult {
  const { status } = result;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new Error(`Route ${route.operationId} returned invalid status ${String(status)}`);
  }
  if (validateResponses) {
    const declared = route.responses[status];
    if (!declared) throw new Error(`Route ${route.operationId} returned undeclared status ${status}`);
    const schema = responseSchemaOf(declared.schema);
    if (schema) {
      const check = z.safeParse(schema, result.body);
      if (!check.success) {
        throw new Error(`Route ${route.operationId} response ${status} does not match its schema: ${check.error.message}`);
      }
    }
  }
  const headers = normalizeHeaders(result.headers);
  delete headers['content-length'];
  if (result.body === undefined) {
    delete headers['content-type'];
    return { statusCode: status, headers };
  }
  const contentType = headers['content-type'];
  if (typeof result.body === 'string' && contentType && !contentType.startsWith('application/json')) {
    return { statusCode: status, headers, body: result.body };
  }
  return jsonResult(status, result.body, headers);
}

/**
 * Builds the Lambda handler of one API function: the shared middleware bundle (request id and logging,
 * security headers, error mapping, routing, default-deny authorization, body parsing and zod validation),
 * then a dispatcher that calls the implementation of the matched route with everything already checked.
 *
 * `implementations` is keyed by `operationId`; each implementation's context is typed from its own
 * declaration when `routes` is a `const` list (`as const satisfies readonly RouteDeclaration[]`).
 */
export function createApiHandler<const Routes extends readonly RouteDeclaration[]>(
  routes: Routes,
  implementations: NoInfer<RouteImplementations<Routes>>,
  options: ApiHandlerOptions = {},
): ApiHandler {
  const byOperationId = implementations as unknown as Record<string, RouteImplementation | undefined>;
  assertDeclarations(routes, byOperationId);
  const table = new RouteTable<RouteDeclaration>(routes);
  const validateResponses = options.validateResponses ?? false;

  const dispatch = async (_event: ApiEvent, context: ApiContext): Promise<ApiResult> => {
    const state: RequestState | undefined = context.qm;
    if (!state?.route || !state.input) throw new Error('dispatcher reached without route or validated input');
    const implementation = byOperationId[state.route.operationId];
    if (!implementation) throw new Error(`no implementation for ${state.route.operationId}`);
    const ctx: RouteContext = {
      route: state.route,
      principal: state.principal,
      ...state.input,
      requestId: state.requestId,
      sourceIp: state.sourceIp,
      userAgent: state.userAgent,
      logger: state.logger,
    };
    const result = await implementation(ctx);
    state.auditNote = result.audit;
    return toApiResult(state.route, result, validateResponses);
  };

  return apiMiddlewareBundle({
    table,
    logger: options.logger ?? getLogger(),
    onDenied: options.onDenied,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    principalGate: options.principalGate,
    audit: options.audit,
  }).handler(dispatch);
}
