import type { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod/mini';
import type { Principal } from '#domain/authz/principal';
import type { AuditNote } from './audit-trail.middleware';
import type { RouteDeclaration } from './route';

export type RequestPart = 'params' | 'query' | 'headers' | 'body';

/** What a part without a schema holds: maps are empty (undeclared input is dropped), the body is absent. */
type Undeclared<K extends RequestPart> = K extends 'body' ? undefined : Record<string, never>;

/**
 * The validated type of one request part of route `R`: `z.output` of its schema. For the wide
 * `RouteDeclaration` type (code that handles any route) it is `unknown`.
 */
export type RouteInput<R extends RouteDeclaration, K extends RequestPart> = string extends R['operationId']
  ? unknown
  : R extends { request: infer Req }
    ? Req extends { [P in K]: infer S }
      ? S extends z.core.$ZodType
        ? z.output<S>
        : Undeclared<K>
      : Undeclared<K>
    : Undeclared<K>;

/** Only a public route can run without a principal; every other route gets one or never runs (401). */
export type RoutePrincipal<R extends RouteDeclaration> = 'public' extends R['access'] ? Principal | undefined : Principal;

/** What a route implementation receives: everything already authenticated, authorized and validated. */
export interface RouteContext<R extends RouteDeclaration = RouteDeclaration> {
  route: R;
  principal: RoutePrincipal<R>;
  params: RouteInput<R, 'params'>;
  query: RouteInput<R, 'query'>;
  /** Only the headers the route declares, by lower-case name. */
  headers: RouteInput<R, 'headers'>;
  body: RouteInput<R, 'body'>;
  /** API Gateway request id; also the log correlation id and the `x-request-id` response header. */
  requestId: string;
  sourceIp: string;
  userAgent: string;
  /** Per-request child logger: correlation id, method and route already attached; redacts secrets. */
  logger: Logger;
}

/**
 * What a route implementation returns. `body` is sent as JSON; to send something else (the Prometheus
 * text endpoint) return a string body and set `content-type` yourself. Security headers, `x-request-id`
 * and, for JSON, `content-type` are added by the bundle and cannot be overridden.
 */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Target, org and details for this request's audit entry (mutations); never sent to the caller. */
  audit?: AuditNote;
}

export type RouteImplementation<R extends RouteDeclaration = RouteDeclaration> = (ctx: RouteContext<R>) => Promise<RouteResult>;

/** The declaration with the given `operationId` out of a `const` route list. */
export type RouteOf<Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']> = Extract<
  Routes[number],
  { operationId: Id }
>;

/** One implementation per declared route, keyed by `operationId`, each typed from its own declaration. */
export type RouteImplementations<Routes extends readonly RouteDeclaration[]> = {
  [R in Routes[number] as R['operationId']]: RouteImplementation<R>;
};

/**
 * Types an implementation written apart from `createApiHandler` (say, in its own use-case file) from its
 * declaration: `defineRoute(submitJobRoute, async ({ body, principal }) => …)` gives `body` the type of
 * the route's body schema and `principal` the type `Principal`.
 */
export function defineRoute<const R extends RouteDeclaration>(route: R, implementation: RouteImplementation<R>): RouteImplementation<R> {
  void route;
  return implementation;
}

/** Finds a declaration by `operationId` with its literal type, for use with `defineRoute`. */
export function routeById<const Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']>(
  routes: Routes,
  operationId: Id,
): RouteOf<Routes, Id> {
  const route = routes.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`No route with operationId ${operationId}`);
  return route as RouteOf<Routes, Id>;
}
