import { toChannelView, toDeliveryView, toTestAcceptedView } from '#contracts/notifications.contract';
import { listDeliveries, requestTestMessage, type TestRequestDeps } from '#domain/notifications/channel-delivery.service';
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  replaceChannel,
  type ChannelsDeps,
} from '#domain/notifications/notification-channels.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { notificationsRoutes } from './notifications.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import type { EventPublisher } from '#domain/events/events.port';
import type { DeliveryLog } from '#domain/notifications/notifications.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { DynamoDeliveryLog } from '#adapters/dynamodb/dynamo-delivery-log.repository';
import type { NotificationsEnv } from './notifications.env';

/** Audit details name the kind and what changed, never a URL of Slack's or a secret. */
export function createNotificationsHandler(
  deps: ChannelsDeps & TestRequestDeps & { deliveries: Pick<DeliveryLog, 'list'> },
  options: ApiHandlerOptions = {},
) {
  return createApiHandler(
    notificationsRoutes,
    {
      listNotificationChannels: async ({ principal, query }) => {
        const page = await listChannels(principal, { limit: query.limit, cursor: query.cursor }, deps);
        return { status: 200, body: { items: page.items.map(toChannelView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) } };
      },
      createNotificationChannel: async ({ principal, body }) => {
        const channel = await createChannel(principal, body, deps);
        return {
          status: 201,
          body: toChannelView(channel),
          headers: { location: `/v1/notification-channels/${channel.id}` },
          audit: {
            target: `notification-channel/${channel.id}`,
            details: { kind: channel.kind, secretChanged: channel.secretRef !== undefined },
          },
        };
      },
      getNotificationChannel: async ({ principal, params }) => ({
        status: 200,
        body: toChannelView(await getChannel(principal, params.id, deps)),
      }),
      replaceNotificationChannel: async ({ principal, params, body }) => {
        const changesSecret = (body.kind === 'slack' && body.url !== undefined) || (body.kind === 'webhook' && body.secret !== undefined);
        const channel = await replaceChannel(principal, params.id, body, deps);
        return {
          status: 200,
          body: toChannelView(channel),
          audit: {
            target: `notification-channel/${channel.id}`,
            details: { kind: channel.kind, secretChanged: changesSecret, version: channel.version },
          },
        };
      },
      deleteNotificationChannel: async ({ principal, params }) => {
        const channel = await deleteChannel(principal, params.id, deps);
        return { status: 204, audit: { target: `notification-channel/${channel.id}`, details: { kind: channel.kind } } };
      },
      testNotificationChannel: async ({ principal, params }) => {
        const request = await requestTestMessage(principal, params.id, deps);
        return {
          status: 202,
          body: toTestAcceptedView(request),
          audit: { target: `notification-channel/${request.channelId}`, details: { test: true, eventId: request.eventId } },
        };
      },
      listNotificationDeliveries: async ({ principal, params, query }) => {
        const page = await listDeliveries(principal, params.id, { limit: query.limit, cursor: query.cursor }, deps);
        return {
          status: 200,
          body: { items: page.items.map(toDeliveryView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
        };
      },
    },
    options,
  );
}

/**
 * The notification-channels function, as Lambda, the local stack and the tests build it. It delivers nothing
 * itself: a channel test is an event in the outbox (`events`) that the notifier delivers, so this function
 * carries no SES client, reads no channel secret to send and opens no outbound connection. Secrets are written
 * (and the previous webhook secret read once, to keep it signing during a rotation) through `secrets`.
 */
export function composeNotifications(env: NotificationsEnv, runtime: ApiRuntime & { secrets: SecretStore; events: EventPublisher }) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  return createNotificationsHandler(
    {
      channels: new DynamoNotificationChannelRepository(runtime.doc, env.QM_TABLE_NAME),
      teams: new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus),
      deliveries: new DynamoDeliveryLog(runtime.doc, env.QM_TABLE_NAME),
      secrets: runtime.secrets,
      events: runtime.events,
      clock,
      ids,
      // The URL guard at save time; loopback targets (the dev webhook receiver) only in the local stack, and
      // loadEnv refuses QM_LOCAL_STACK in Lambda. The notifier checks again at connect time.
      outbound: { allowLoopback: env.QM_LOCAL_STACK === 'true' },
    },
    options,
  );
}
