import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  apiKeyIdParamsSchema,
  apiKeyListSchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  meViewSchema,
} from '#contracts/api-keys.contract';
import { myNotificationsViewSchema, replaceMyNotificationsBodySchema } from '#contracts/personal-notifications.contract';
import { standardErrors, unprocessableResponse } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = { 404: { description: 'Not found', schema: errorEnvelopeSchema } } as const;

/**
 * The signed-in user's own identity (who am I, my API keys, my email notifications): what the console asks on every page load, so a
 * function of its own, apart from identity-provider administration and its Secrets Manager client. Until the
 * permission matrix grows identity-specific permissions, `/v1/me` needs `job.view.own` (every level holds it)
 * and API keys need `job.submit` (researchers and up, docs/permissions.md#levels-and-the-matrix: "manages own API keys").
 * My notifications are about me alone and go to my own address alone, so every signed-in user (`job.view.own`)
 * may set them: no `admin.config`.
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
  {
    method: 'GET',
    path: '/v1/me/notifications',
    operationId: 'getMyNotifications',
    summary: "My email notifications: my jobs' events and approval requests that wait for me",
    access: 'job.view.own',
    tags: ['notifications'],
    responses: { 200: { description: 'My choice and the address it goes to', schema: myNotificationsViewSchema }, ...errors },
  },
  {
    method: 'PUT',
    path: '/v1/me/notifications',
    operationId: 'replaceMyNotifications',
    summary: "Choose which of my jobs' events, and whether approval requests waiting for me, are emailed to my own address",
    access: 'job.view.own',
    tags: ['notifications'],
    request: { body: replaceMyNotificationsBodySchema },
    responses: {
      200: { description: 'My choice as stored', schema: myNotificationsViewSchema },
      ...errors,
      ...unprocessableResponse('My account has no deliverable email address'),
    },
  },
] as const satisfies readonly RouteDeclaration[];
