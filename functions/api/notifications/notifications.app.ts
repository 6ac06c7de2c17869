import { toChannelView, toDeliveryView } from '#contracts/notifications.contract';
import { listDeliveries, sendTestMessage, type ChannelDeliveryDeps } from '#domain/notifications/channel-delivery.service';
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
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { EmailTransport } from '#domain/notifications/notifications.port';
import { DynamoDeliveryLog } from '#adapters/dynamodb/dynamo-delivery-log.repository';
import { channelSenders } from '#adapters/outbound/channel-senders.client';
import type { NotificationsEnv } from './notifications.env';

/** Audit details name the kind and what changed, never a URL of Slack's or a secret. */
export function createNotificationsHandler(deps: ChannelsDeps & ChannelDeliveryDeps, options: ApiHandlerOptions = {}) {
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
        const record = await sendTestMessage(principal, params.id, deps);
        return {
          status: 200,
          body: toDeliveryView(record),
          audit: {
            target: `notification-channel/${record.channelId}`,
            details: { test: true, eventId: record.eventId, delivered: record.status === 'delivered' },
          },
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

/** The notification-channels function, as Lambda, the local stack and the tests build it. */
export function composeNotifications(env: NotificationsEnv, runtime: ApiRuntime & { secrets: SecretStore; email: EmailTransport }) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  // Loopback targets (the dev webhook receiver) only in the local stack; loadEnv refuses QM_LOCAL_STACK in Lambda.
  const outbound = { allowLoopback: env.QM_LOCAL_STACK === 'true' };
  return createNotificationsHandler(
    {
      channels: new DynamoNotificationChannelRepository(runtime.doc, env.QM_TABLE_NAME),
      teams: new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus),
      deliveries: new DynamoDeliveryLog(runtime.doc, env.QM_TABLE_NAME),
      // The test route sends through the notifier's own senders (URL guard at connect time, bounded attempt).
      senders: channelSenders({
        secrets: runtime.secrets,
        transport: runtime.email,
        policy: outbound,
        clock,
        timeoutMs: env.QM_NOTIFY_TIMEOUT_MS,
        consoleUrl: env.QM_CONSOLE_URL,
      }),
      secrets: runtime.secrets,
      clock,
      ids,
      outbound,
    },
    options,
  );
}
