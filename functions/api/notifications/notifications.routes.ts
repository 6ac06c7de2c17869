import {
  channelListSchema,
  channelParamsSchema,
  channelTestAcceptedSchema,
  channelViewSchema,
  createChannelBodySchema,
  deliveryListSchema,
  replaceChannelBodySchema,
} from '#contracts/notifications.contract';
import { paginationQuerySchema } from '#contracts/common.contract';
import { conflictResponse, notFoundResponse, standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const channelNotFound = notFoundResponse('notification channel');
const tags = ['notifications'];

/** Notification channels of the caller's org (docs/events.md): `admin.config`; secrets are write-only. */
export const notificationsRoutes = [
  {
    method: 'GET',
    path: '/v1/notification-channels',
    operationId: 'listNotificationChannels',
    summary: "The org's notification channels",
    access: 'admin.config',
    tags,
    request: { query: paginationQuerySchema },
    responses: { 200: { description: 'A page of channels', schema: channelListSchema }, ...standardErrors },
  },
  {
    method: 'POST',
    path: '/v1/notification-channels',
    operationId: 'createNotificationChannel',
    summary: 'Create a notification channel (email, Slack or signed webhook)',
    access: 'admin.config',
    tags,
    request: { body: createChannelBodySchema },
    responses: {
      201: { description: 'The channel (no secret)', schema: channelViewSchema },
      ...standardErrors,
      ...notFoundResponse('team named in a subscription'),
    },
  },
  {
    method: 'GET',
    path: '/v1/notification-channels/{id}',
    operationId: 'getNotificationChannel',
    summary: 'Get a notification channel',
    access: 'admin.config',
    tags,
    request: { params: channelParamsSchema },
    responses: { 200: { description: 'The channel (no secret)', schema: channelViewSchema }, ...standardErrors, ...channelNotFound },
  },
  {
    method: 'PUT',
    path: '/v1/notification-channels/{id}',
    operationId: 'replaceNotificationChannel',
    summary: 'Replace a notification channel; a new webhook secret rotates (both sign for 24 hours)',
    access: 'admin.config',
    tags,
    request: { params: channelParamsSchema, body: replaceChannelBodySchema },
    responses: {
      200: { description: 'The channel (no secret)', schema: channelViewSchema },
      ...standardErrors,
      ...notFoundResponse('channel, or team named in a subscription'),
      ...conflictResponse('The channel was changed meanwhile'),
    },
  },
  {
    method: 'DELETE',
    path: '/v1/notification-channels/{id}',
    operationId: 'deleteNotificationChannel',
    summary: 'Delete a notification channel (its stored secret is blanked)',
    access: 'admin.config',
    tags,
    request: { params: channelParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...standardErrors, ...channelNotFound },
  },
  {
    method: 'POST',
    path: '/v1/notification-channels/{id}/test',
    operationId: 'testNotificationChannel',
    summary:
      "Queue a system.test message to the channel; the notifier delivers it through the real delivery path and records it in the channel's delivery log",
    access: 'admin.config',
    tags,
    request: { params: channelParamsSchema },
    responses: {
      202: {
        description:
          'Queued: the delivery record (status, latency, response code) appears in `GET …/{id}/deliveries` under `eventId` within seconds; a failed test is not retried and never marks the channel degraded',
        schema: channelTestAcceptedSchema,
      },
      ...standardErrors,
      ...channelNotFound,
    },
  },
  {
    method: 'GET',
    path: '/v1/notification-channels/{id}/deliveries',
    operationId: 'listNotificationDeliveries',
    summary: "The channel's delivery log, newest first (status, attempt, latency, response code; no bodies or secrets)",
    access: 'admin.config',
    tags,
    request: { params: channelParamsSchema, query: paginationQuerySchema },
    responses: { 200: { description: 'A page of delivery records', schema: deliveryListSchema }, ...standardErrors, ...channelNotFound },
  },
] as const satisfies readonly RouteDeclaration[];
