import type { MiddlewareObj, Request } from '@middy/core';
import type { Logger } from '#adapters/logging/logger';
import type { Principal } from '#domain/authz/principal';
import type { AuditLog } from '#domain/audit/audit.port';
import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import { AppError } from '#domain/errors/app-error';
import type { ApiResult } from './http-response';
import { routeKey, type RouteDeclaration } from './route';

/**
 * What a route implementation may add to its audit entry (returned as `RouteResult.audit`): a precise
 * target (`user/rae`), the org the change belongs to when it is not the caller's (platform admins), a
 * dotted action, and details. Details are ids and outcomes only: never secrets, never request bodies.
 */
export interface AuditNote {
  /** The request changed nothing although its method could (a dry run, an idempotent replay): no entry. */
  unchanged?: boolean;
  action?: string;
  target?: string;
  orgId?: string;
  details?: Record<string, unknown>;
}

/** The part of the bundle's per-request state this middleware reads (kept structural: no import cycle). */
export interface AuditedRequestState {
  route?: RouteDeclaration | undefined;
  principal?: Principal | undefined;
  sourceIp: string;
  requestId: string;
  logger?: Logger | undefined;
  auditNote?: AuditNote | undefined;
}
type AuditedRequest<E, C> = Request<E, ApiResult, Error, C>;

/** Error details worth keeping: which permission or rule said no, which field. Nothing from the request body. */
const KEPT_ERROR_DETAILS = ['permission', 'permissions', 'rule', 'rules', 'field', 'state'] as const;

function errorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof AppError)) return error ? { error: { code: 'internal' } } : {};
  const kept = Object.fromEntries(
    KEPT_ERROR_DETAILS.filter((key) => error.details?.[key] !== undefined).map((key) => [key, error.details?.[key]]),
  );
  return { error: { code: error.code, message: error.message.slice(0, 500), ...kept } };
}

/**
 * The audit trail of the HTTP layer (docs/permissions.md#audit-trail): every request refused with 401/403 (whatever refused
 * it: the route's permission, the access gate, or a service's own rule) and every mutation (any method but
 * GET) that reached a route, with its outcome. Public routes audit themselves (logins record their own
 * outcome); reads are not audited; a 400 changed nothing and is not a mutation; a 503 (dependency outage)
 * is in the function's error log, not the audit log.
 *
 * Appending happens before the response is returned, so an acknowledged change has its entry. An append
 * that fails is logged as an error and does not change the answer: the change itself has already happened.
 */
export function auditTrail<E, C extends { qm?: AuditedRequestState | undefined }>(
  audit: AuditLog | undefined,
  fallbackLogger: Logger,
): MiddlewareObj<E, ApiResult, Error, C> {
  const record = async (request: AuditedRequest<E, C>): Promise<void> => {
    const state = request.context.qm;
    const route = state?.route;
    if (!audit || !state || !route || route.access === 'public') return;
    const status = request.response?.statusCode ?? 500;
    let outcome: AuditEntryInput['outcome'];
    if (status === 401 || status === 403) outcome = 'denied';
    // A 503 is a dependency outage: the audit log lives on the same table, and a second bounded wait for it
    // would double the time to answer. The function's error log line records the failed request instead.
    else if (route.method === 'GET' || status === 400 || status === 503 || (status < 400 && state.auditNote?.unchanged)) return;
    else outcome = status < 400 ? 'success' : 'failure';

    const principal = state.principal;
    const note = state.auditNote;
    const rawPath: unknown = (request.event as { rawPath?: unknown } | undefined)?.rawPath;
    const path = typeof rawPath === 'string' ? rawPath.slice(0, 400) : route.path;
    const entry: AuditEntryInput = {
      actor: principal?.userId ?? 'anonymous',
      orgId: (outcome === 'success' ? note?.orgId : undefined) ?? principal?.orgId ?? 'platform',
      action: outcome === 'denied' ? 'request.denied' : (note?.action ?? route.operationId),
      target: (outcome === 'success' ? note?.target : undefined) ?? `${route.method} ${path}`,
      outcome,
      sourceIp: state.sourceIp.slice(0, 64),
      requestId: state.requestId.slice(0, 128),
      details: {
        route: routeKey(route),
        operationId: route.operationId,
        status,
        ...(outcome === 'denied' ? { access: route.access } : {}),
        ...(outcome === 'success' ? (note?.details ?? {}) : errorSummary(request.error)),
      },
      ...(principal ? { actorTeamIds: principal.teamIds.slice(0, 100) } : {}),
    };
    try {
      await audit.append(entry);
    } catch (error) {
      const log = state.logger ?? fallbackLogger;
      log.error('audit append failed', { action: entry.action, outcome, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return { after: record, onError: record };
}
