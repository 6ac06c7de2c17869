import type * as z from 'zod/mini';
import type { RouteAccess } from '#domain/authz/policy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A route, declared as data next to its handler group. The same declarations drive the API Gateway routes
 * in CDK, the local HTTP server, the OpenAPI document and the default-deny test: a route must name the
 * permission it needs (`public` only for health probes).
 */
export interface RouteDeclaration {
  method: HttpMethod;
  /** API Gateway path syntax: `/v1/jobs/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  access: RouteAccess;
  request?: {
    params?: z.core.$ZodObject;
    query?: z.core.$ZodObject;
    headers?: z.core.$ZodObject;
    body?: z.core.$ZodType;
  };
  /** A response schema may be a thunk (`lazySchema`): built only by the OpenAPI generator and response validation. */
  responses: Record<number, { description: string; schema?: ResponseSchema }>;
  tags: string[];
}

export type ResponseSchema = z.core.$ZodType | (() => z.core.$ZodType);

/** The schema of a declared response, built if it was declared lazily. */
export const responseSchemaOf = (schema: ResponseSchema | undefined): z.core.$ZodType | undefined =>
  typeof schema === 'function' ? schema() : schema;

/** A group of routes served by one Lambda function. */
export interface RouteGroup {
  /** Short id used for the function's construct id and log group. */
  name: string;
  /** Entry file of the function, relative to the repository root. */
  entry: string;
  routes: readonly RouteDeclaration[];
}

/** `routeKey` as API Gateway writes it: `GET /v1/jobs/{id}`. */
export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>): string => `${route.method} ${route.path}`;
