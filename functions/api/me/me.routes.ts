import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  apiKeyIdParamsSchema,
  apiKeyListSchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  meViewSchema,
} from '#contracts/api-keys.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = { 404: { description: 'Not found', schema: errorEnvelopeSchema } } as const;

/**
 * The signed-in user's own identity (who am I, my API keys): what the console asks on every page load, so a
 * function of its own, apart from identity-provider administration and its Secrets Manager client. Until the
 * permission matrix grows identity-specific permissions, `/v1/me` needs `job.view.own` (every level holds it)
 * and API keys need `job.submit` (researchers and up, docs/permissions.md#levels-and-the-matrix: "manages own API keys").
 */
export const meRoutes = [
  {
    method: 'GET',
    path: '/v1/me',
    operationId: 'getMe',
    summary: 'Who I am: level, org, teams and effective permissions',
    access: 'job.view.own',
    tags: ['identity'],
    responses: { 200: { description: 'The caller', schema: meViewSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/me/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key (shown once) scoped to a subset of my permissions',
    access: 'job.submit',
    tags: ['identity'],
    request: { body: createApiKeyBodySchema },
    responses: { 201: { description: 'The new key; `key` is never shown again', schema: createdApiKeySchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/me/api-keys',
    operationId: 'listApiKeys',
    summary: 'List my API keys (never the keys themselves)',
    access: 'job.submit',
    tags: ['identity'],
    responses: { 200: { description: 'My API keys', schema: apiKeyListSchema }, ...errors },
  },
  {
    method: 'DELETE',
    path: '/v1/me/api-keys/{id}',
    operationId: 'revokeApiKey',
    summary: 'Revoke one of my API keys',
    access: 'job.submit',
    tags: ['identity'],
    request: { params: apiKeyIdParamsSchema },
    responses: { 204: { description: 'Revoked' }, ...errors, ...notFound },
  },
] as const satisfies readonly RouteDeclaration[];
