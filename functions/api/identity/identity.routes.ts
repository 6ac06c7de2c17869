import { errorEnvelopeSchema } from '../../../shared/contracts/common.contract';
import {
  apiKeyIdParamsSchema,
  apiKeyListSchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  identityProviderInputSchema,
  identityProviderListSchema,
  identityProviderViewSchema,
  idParamsSchema,
  meViewSchema,
} from '../../../shared/contracts/identity.contract';
import { standardErrors } from '../../../shared/contracts/route-responses';
import type { RouteDeclaration } from '../../../shared/http/route';

const errors = standardErrors;
const notFound = { 404: { description: 'Not found', schema: errorEnvelopeSchema } } as const;

/**
 * The signed-in user's own identity (who am I, my API keys) and the admin API for identity providers.
 * Until the permission matrix grows identity-specific permissions, `/v1/me` needs `job.view.own` (every
 * level holds it) and API keys need `job.submit` (researchers and up, DESIGN §1: "manages own API keys").
 */
export const identityRoutes = [
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
  {
    method: 'GET',
    path: '/v1/admin/identity-providers',
    operationId: 'listIdentityProviders',
    summary: 'List identity providers',
    access: 'admin.config',
    tags: ['admin'],
    responses: { 200: { description: 'Providers (secrets never included)', schema: identityProviderListSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/admin/identity-providers',
    operationId: 'createIdentityProvider',
    summary: 'Register an identity provider (client secret / bind password are write-only)',
    access: 'admin.config',
    tags: ['admin'],
    request: { body: identityProviderInputSchema },
    responses: {
      201: { description: 'Created', schema: identityProviderViewSchema },
      ...errors,
      409: { description: 'A provider with this id exists', schema: errorEnvelopeSchema },
    },
  },
  {
    method: 'GET',
    path: '/v1/admin/identity-providers/{id}',
    operationId: 'getIdentityProvider',
    summary: 'Get an identity provider',
    access: 'admin.config',
    tags: ['admin'],
    request: { params: idParamsSchema },
    responses: { 200: { description: 'The provider', schema: identityProviderViewSchema }, ...errors, ...notFound },
  },
  {
    method: 'PUT',
    path: '/v1/admin/identity-providers/{id}',
    operationId: 'replaceIdentityProvider',
    summary: 'Replace an identity provider (omit the secret to keep the stored one)',
    access: 'admin.config',
    tags: ['admin'],
    request: { params: idParamsSchema, body: identityProviderInputSchema },
    responses: {
      200: { description: 'Replaced', schema: identityProviderViewSchema },
      ...errors,
      ...notFound,
      409: { description: 'The type cannot change', schema: errorEnvelopeSchema },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/admin/identity-providers/{id}',
    operationId: 'deleteIdentityProvider',
    summary: 'Delete an identity provider',
    access: 'admin.config',
    tags: ['admin'],
    request: { params: idParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...errors, ...notFound },
  },
] as const satisfies readonly RouteDeclaration[];
