import * as z from 'zod/mini';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { errorEnvelopeSchema } from '#contracts/common.contract';
import { responseSchemaOf, type ResponseSchema, type RouteDeclaration, type RouteGroup } from './route';

/*
 * Build-time only: zod-openapi is a devDependency and no Lambda entry imports this module. The document is
 * generated from the same route declarations and zod schemas the handlers validate with (docs/architecture.md#api-conventions), so
 * the contract cannot drift from the code.
 */

export const BEARER_SCHEME = 'bearerAuth';

export interface OpenApiOptions {
  /** `info.version`, normally the package version. */
  version: string;
}

type OpenApiDocument = ReturnType<typeof createDocument>;

const METHOD_ORDER = ['get', 'put', 'post', 'patch', 'delete'] as const;

function accessDescription(route: RouteDeclaration): string {
  return route.access === 'public'
    ? 'Public: no credentials needed.'
    : `Requires the \`${route.access}\` permission (see the permission matrix in the security model).`;
}

function operation(route: RouteDeclaration): ZodOpenApiOperationObject {
  const { params, query, headers, body } = route.request ?? {};
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, response] of Object.entries(route.responses) as Array<
    [string, { description: string; schema?: ResponseSchema; contentType?: 'text/html' }]
  >) {
    const schema = responseSchemaOf(response.schema);
    responses[status as `2${string}`] = {
      description: response.description,
      ...(schema ? { content: { 'application/json': { schema } } } : {}),
      ...(response.contentType === 'text/html' ? { content: { 'text/html': { schema: { type: 'string' } } } } : {}),
    };
  }
  // Any route may meet a dependency outage (error-mapping.ts): the answer is always this one.
  responses['503'] ??= {
    description: 'A dependency (the database) is unavailable or too slow; retry after `Retry-After` seconds (`code: unavailable`)',
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
    content: { 'application/json': { schema: errorEnvelopeSchema() } },
  };
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: accessDescription(route),
    tags: [...route.tags],
    // Public routes opt out of the document-wide bearer requirement; everything else inherits it.
    ...(route.access === 'public' ? { security: [] } : {}),
    'x-quartermaster-access': route.access,
    ...(params || query || headers
      ? { requestParams: { ...(params ? { path: params } : {}), ...(query ? { query } : {}), ...(headers ? { header: headers } : {}) } }
      : {}),
    ...(body
      ? {
          requestBody: {
            required: !z.safeParse(body, undefined).success,
            content: {
              [route.request?.bodyEncoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: body },
            },
          },
        }
      : {}),
    responses,
  };
}

function sortKeys<T extends Record<string, unknown>>(record: T | undefined): T | undefined {
  if (!record) return record;
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

/**
 * The OpenAPI 3.1 document of every declared route. Path, schema and response order is fixed (sorted),
 * so the committed `docs/openapi.json` changes only when the API does.
 */
export function buildOpenApiDocument(groups: readonly RouteGroup[], options: OpenApiOptions): OpenApiDocument {
  const routes = groups.flatMap((group) => group.routes);
  const paths: ZodOpenApiPathsObject = {};
  for (const path of [...new Set(routes.map((route) => route.path))].sort()) {
    const item: Record<string, ZodOpenApiOperationObject> = {};
    const onPath = routes.filter((route) => route.path === path);
    for (const method of METHOD_ORDER) {
      const route = onPath.find((candidate) => candidate.method.toLowerCase() === method);
      if (route) item[method] = operation(route);
    }
    paths[path] = item;
  }
  const tags = [...new Set(routes.flatMap((route) => route.tags))].sort().map((name) => ({ name }));

  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Quartermaster',
      version: options.version,
      description:
        'Share GPU capacity safely: submit jobs, watch them, and see why they wait. Errors use one envelope ' +
        '`{ "error": { "code", "message", "details" } }`; invalid input is a 400 whose `details.fields` names each field.',
    },
    security: [{ [BEARER_SCHEME]: [] }],
    tags,
    paths,
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A JWT (Cognito, an OpenID Connect provider, or a Quartermaster session token) or a Quartermaster ' +
            'API key, sent as `Authorization: Bearer <credential>`.',
        },
      },
    },
  });
  if (document.components) {
    document.components = { ...document.components, schemas: sortKeys(document.components.schemas) };
  }
  closeRequestBodies(document);
  return document;
}

type JsonNode = Record<string, unknown>;
const isNode = (value: unknown): value is JsonNode => typeof value === 'object' && value !== null;

/**
 * Request bodies are strict (`strict-schema.ts`): every object a request body may contain gets
 * `additionalProperties: false`, following `$ref`s into the components, unless it declares its own
 * (a record's value schema, a catchall).
 */
function closeRequestBodies(document: OpenApiDocument): void {
  const components = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const visited = new Set<unknown>();
  const close = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(close);
    if (!isNode(node) || visited.has(node)) return;
    visited.add(node);
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) close(components[ref.slice('#/components/schemas/'.length)]);
    if ((node.type === 'object' || isNode(node.properties)) && node.additionalProperties === undefined) node.additionalProperties = false;
    for (const [key, value] of Object.entries(node)) {
      // `properties` maps field names to schemas: a field named `type` is not the schema's type.
      if (key === 'properties' && isNode(value)) Object.values(value).forEach(close);
      else close(value);
    }
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, unknown>)) {
      if (isNode(operation) && isNode(operation.requestBody)) close(operation.requestBody.content);
    }
  }
}

/** The committed text form: two-space JSON with a trailing newline. */
export function serializeOpenApiDocument(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
