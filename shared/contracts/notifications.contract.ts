import * as z from 'zod/mini';
import { channelKindSchema, subscriptionSchema, type NotificationChannel } from '#domain/notifications/notification-channel.schema';
import type { TestRequest } from '#domain/notifications/channel-delivery.service';
import type { DeliveryRecord } from '#domain/notifications/notifications.port';
import { lazySchema } from './lazy-schema';

export const channelParamsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

const name = z.string().check(z.minLength(1), z.maxLength(100));
const enabled = z.optional(z.boolean().check(z.describe('Default true')));
const subscriptions = z
  .array(subscriptionSchema.clone().register(z.globalRegistry, { id: 'NotificationSubscription' }))
  .check(z.minLength(1), z.maxLength(20));
const emailTo = z.array(z.email()).check(z.minLength(1), z.maxLength(10), z.describe('Recipients'));
const url = z.string().check(z.maxLength(2048));
const slackUrl = url.check(z.describe('Write-only: the Slack incoming-webhook URL (kept in Secrets Manager, never returned)'));
const webhookUrl = url.check(z.describe('https target; private, loopback, link-local and metadata addresses are refused'));
const secret = z
  .string()
  .check(
    z.regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'a Standard Webhooks secret: whsec_ followed by at least 24 bytes of base64'),
    z.describe('Write-only signing secret (`whsec_…`). Sending a new one rotates: both sign for 24 hours'),
  );

const emailBody = z.strictObject({ kind: z.literal('email'), name, enabled, to: emailTo, subscriptions });

export const createChannelBodySchema = z
  .discriminatedUnion('kind', [
    emailBody,
    z.strictObject({ kind: z.literal('slack'), name, enabled, url: slackUrl, subscriptions }),
    z.strictObject({ kind: z.literal('webhook'), name, enabled, url: webhookUrl, secret, subscriptions }),
  ])
  .register(z.globalRegistry, { id: 'CreateNotificationChannel' });

/** On replace, `url` (Slack) and `secret` (webhook) may be omitted: the stored ones are kept. */
export const replaceChannelBodySchema = z
  .discriminatedUnion('kind', [
    emailBody,
    z.strictObject({ kind: z.literal('slack'), name, enabled, url: z.optional(slackUrl), subscriptions }),
    z.strictObject({ kind: z.literal('webhook'), name, enabled, url: z.optional(webhookUrl), secret: z.optional(secret), subscriptions }),
  ])
  .register(z.globalRegistry, { id: 'ReplaceNotificationChannel' });

export const channelViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      kind: channelKindSchema,
      enabled: z.boolean(),
      to: z.optional(z.array(z.string()).check(z.describe('email: recipients'))),
      url: z.optional(z.string().check(z.describe('webhook: target URL (a Slack URL is never returned)'))),
      secretSet: z.boolean().check(z.describe('A secret (Slack URL or signing secret) is stored')),
      secretUpdatedAt: z.optional(z.string()),
      rotationEndsAt: z.optional(z.string().check(z.describe('webhook: until when the previous signing secret still signs'))),
      subscriptions: z.array(subscriptionSchema),
      health: z
        .enum(['ok', 'degraded'])
        .check(z.describe('`degraded` after an event could not be delivered by its last retry; the next success clears it')),
      degradedAt: z.optional(z.string()),
      degradedReason: z.optional(z.string().check(z.describe('The failing event and the last error (no URL, no secret)'))),
      createdBy: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .register(z.globalRegistry, { id: 'NotificationChannel' }),
);
export const channelListSchema = lazySchema(() =>
  z
    .object({ items: z.array(channelViewSchema()), nextCursor: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'NotificationChannelList' }),
);

/** Lists every returned field: the secret reference and any secret value never leave. */
export const toChannelView = (channel: NotificationChannel): z.infer<ReturnType<typeof channelViewSchema>> => ({
  id: channel.id,
  name: channel.name,
  kind: channel.kind,
  enabled: channel.enabled,
  ...(channel.emailTo ? { to: channel.emailTo } : {}),
  ...(channel.webhookUrl ? { url: channel.webhookUrl } : {}),
  secretSet: channel.secretRef !== undefined,
  ...(channel.secretUpdatedAt ? { secretUpdatedAt: channel.secretUpdatedAt } : {}),
  ...(channel.rotationEndsAt ? { rotationEndsAt: channel.rotationEndsAt } : {}),
  subscriptions: channel.subscriptions,
  health: channel.degradedAt ? 'degraded' : 'ok',
  ...(channel.degradedAt ? { degradedAt: channel.degradedAt } : {}),
  ...(channel.degradedReason ? { degradedReason: channel.degradedReason } : {}),
  createdBy: channel.createdBy,
  createdAt: channel.createdAt,
  updatedAt: channel.updatedAt,
});

export const deliveryRecordViewSchema = lazySchema(() =>
  z
    .object({
      eventId: z.string().check(z.describe('The event delivered (a ULID: newest first)')),
      eventType: z.string(),
      status: z.enum(['delivered', 'failed', 'sending']),
      attempt: z.number().check(z.int(), z.describe("Attempts made so far (the notification queue's receive count)")),
      lastAttemptAt: z.string(),
      latencyMs: z.optional(z.number().check(z.describe('How long the last attempt took'))),
      responseCode: z.optional(z.number().check(z.int(), z.describe("The target's HTTP status (webhook, Slack)"))),
      lastError: z.optional(z.string().check(z.describe('Why the last attempt failed: no URL, address, body or secret'))),
      deliveredAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'NotificationDelivery' }),
);
export const deliveryListSchema = lazySchema(() =>
  z
    .object({ items: z.array(deliveryRecordViewSchema()), nextCursor: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'NotificationDeliveryList' }),
);

/** The answer to `POST …/{id}/test`: the test is queued; its outcome appears in the delivery log under `eventId`. */
export const channelTestAcceptedSchema = lazySchema(() =>
  z
    .object({
      channelId: z.string(),
      eventId: z.string().check(z.describe("The `system.test` event: its record in the channel's delivery log has this id")),
      eventType: z.literal('system.test'),
      status: z.literal('queued').check(z.describe('The notifier delivers it within seconds; read `GET …/{id}/deliveries`')),
      requestedAt: z.string(),
    })
    .register(z.globalRegistry, { id: 'NotificationTestAccepted' }),
);
export const toTestAcceptedView = (request: TestRequest): z.infer<ReturnType<typeof channelTestAcceptedSchema>> => ({
  channelId: request.channelId,
  eventId: request.eventId,
  eventType: 'system.test',
  status: 'queued',
  requestedAt: request.requestedAt,
});

/** Every returned field listed: a record holds nothing secret, and the view keeps it that way. */
export const toDeliveryView = (record: DeliveryRecord): z.infer<ReturnType<typeof deliveryRecordViewSchema>> => ({
  eventId: record.eventId,
  eventType: record.eventType,
  status: record.status,
  attempt: record.attempt,
  lastAttemptAt: record.lastAttemptAt,
  ...(record.latencyMs !== undefined ? { latencyMs: record.latencyMs } : {}),
  ...(record.responseCode !== undefined ? { responseCode: record.responseCode } : {}),
  ...(record.lastError !== undefined ? { lastError: record.lastError } : {}),
  ...(record.deliveredAt !== undefined ? { deliveredAt: record.deliveredAt } : {}),
});
