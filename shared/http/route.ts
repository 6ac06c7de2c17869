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
    /** How the body is sent: JSON (the default), or `form` (`application/x-www-form-urlencoded`, for HTML pages). */
    bodyEncoding?: 'json' | 'form';
  };
  /** A response schema may be a thunk (`lazySchema`): built only by the OpenAPI generator and response validation. */
  responses: Record<number, { description: string; schema?: ResponseSchema; contentType?: 'text/html' }>;
  tags: string[];
}

export type ResponseSchema = z.core.$ZodType | (() => z.core.$ZodType);

/** The schema of a declared response, built if it was declared lazily. */
export const responseSchemaOf = (schema: ResponseSchema | undefined): z.core.$ZodType | undefined =>
  typeof schema === 'function' ? schema() : schema;

/**
 * Partitions of the single table a function may touch, as key patterns: `*` matches any run of characters
 * (IAM's `StringLike`), so `ORG#*` also covers `ORG#<id>#QUOTAS`. Index partitions (`gsi1pk`, `gsi2pk`) count
 * as partitions too. The deployed grant is built from these lists (`dynamodb:LeadingKeys`), and the local
 * stack and the integration tests refuse any other partition.
 */
export interface TableAccess {
  /** Get, BatchGet, Query and ConditionCheck. */
  readonly reads: readonly string[];
  /** Put, Update and Delete (one by one, or inside a transaction). */
  readonly writes: readonly string[];
}

/**
 * AWS permissions beyond the table, by purpose; `lib/constructs/api-functions.ts` turns each into its grant.
 * - `sessions.sign`: sign with (and read the public key of) the session-token KMS key
 * - `idp-secrets.read` / `idp-secrets.write`: read, or create and overwrite, the identity providers' secrets
 * - `break-glass-secret.read`: read the break-glass secret
 * - `job-output.read`: read the job log group (job output)
 * - `cluster-secrets.read` / `cluster-secrets.write`: read, or store and rotate, registered clusters' credentials
 * - `approval-link-key.read`: read the HMAC key approval links are signed with (whoever reads it can mint links)
 */
export type AwsPermission =
  | 'sessions.sign'
  | 'idp-secrets.read'
  | 'idp-secrets.write'
  | 'break-glass-secret.read'
  | 'job-output.read'
  | 'notification-secrets.write'
  | 'cluster-secrets.read'
  | 'cluster-secrets.write'
  | 'approval-link-key.read';

/**
 * A group of routes served by one Lambda function, and everything CDK needs to build that function: the
 * entry, the env schema (its variables are taken from the stage's values), what it may read and write in
 * the table, and what else it may do in AWS. Adding a function is adding one group.
 */
export interface RouteGroup {
  /** Short id (kebab-case) used for the function's construct id and log group. */
  name: string;
  /** Entry file of the function, relative to the repository root. */
  entry: string;
  /** The function's description in Lambda. */
  description: string;
  /** The function's env schema (`<fn>.env.ts`): the deployed function gets exactly these variables. */
  envSchema: z.core.$ZodObject;
  routes: readonly RouteDeclaration[];
  table: TableAccess;
  aws?: readonly AwsPermission[];
}

/** `routeKey` as API Gateway writes it: `GET /v1/jobs/{id}`. */
export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>): string => `${route.method} ${route.path}`;
