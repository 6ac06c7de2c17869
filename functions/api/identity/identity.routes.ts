import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  identityProviderInputSchema,
  identityProviderListSchema,
  identityProviderViewSchema,
  idParamsSchema,
} from '#contracts/identity-providers.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = { 404: { description: 'Not found', schema: errorEnvelopeSchema } } as const;

/**
 * The admin API for identity providers (OIDC, Cognito, LDAP). Client secrets and bind passwords are
 * write-only: stored in Secrets Manager, never returned.
 */
export const identityRoutes = [
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
