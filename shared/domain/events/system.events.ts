import * as z from 'zod/mini';
import { envelope, type DomainEvent } from './event-envelope';

/** Operational events (docs/events.md): backends in trouble, notification deliveries given up. */
export const SYSTEM_EVENT_TYPES = ['system.provider_error', 'system.provider_degraded', 'system.webhook_failure'] as const;
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];
export type ProviderEventType = Exclude<SystemEventType, 'system.webhook_failure'>;

export const providerEventDataSchema = z.object({
  backend: z.enum(['ecs', 'kubernetes', 'local']).check(z.describe('Kind of backend')),
  clusterId: z.optional(z.string().check(z.describe('Registered cluster (Kubernetes backends)'))),
  jobId: z.optional(z.string().check(z.describe('Job whose launch or status call failed, if any'))),
  code: z.string().check(z.describe('Stable error code, e.g. `launch_failed`, `unreachable`')),
  message: z.string().check(z.maxLength(500), z.describe('What went wrong, without credentials')),
});
export type ProviderEventData = z.infer<typeof providerEventDataSchema>;

export const webhookFailureDataSchema = z.object({
  channelId: z.string().check(z.describe('The notification channel that failed')),
  channelKind: z.enum(['email', 'slack', 'webhook']),
  eventId: z.string().check(z.describe('The event that could not be delivered')),
  eventType: z.string().check(z.describe("That event's type")),
  attempts: z.number().check(z.int(), z.describe('Delivery attempts made')),
  lastStatus: z.optional(z.number().check(z.int(), z.describe('HTTP status of the last attempt, if one answered'))),
  lastError: z.string().check(z.maxLength(500), z.describe('Why the last attempt failed (no URL, no secret)')),
});
export type WebhookFailureData = z.infer<typeof webhookFailureDataSchema>;

export const SYSTEM_EVENT_DESCRIPTIONS: Record<SystemEventType, string> = {
  'system.provider_error': 'A backend call failed (launch, status, logs, cancel).',
  'system.provider_degraded': 'A backend or cluster failed its health check and is marked degraded.',
  'system.webhook_failure': 'A notification could not be delivered to a channel after the last retry.',
};

export function providerEvent(type: ProviderEventType, orgId: string, data: ProviderEventData, id: string, time: string): DomainEvent {
  const subject = data.clusterId ? `cluster/${data.clusterId}` : `backend/${data.backend}`;
  return envelope(type, providerEventDataSchema, { id, time, orgId, subject }, data);
}

export function webhookFailureEvent(orgId: string, data: WebhookFailureData, id: string, time: string): DomainEvent {
  return envelope(
    'system.webhook_failure',
    webhookFailureDataSchema,
    { id, time, orgId, subject: `notification-channel/${data.channelId}` },
    data,
  );
}

/**
 * `system.test`: what `POST /v1/notification-channels/{id}/test` records in the outbox. The notification rule
 * routes it to the notifier, which delivers it to the one channel it names (never by subscription).
 */
export const CHANNEL_TEST_EVENT = 'system.test';

export const channelTestDataSchema = z.object({
  channelId: z.string().check(z.describe('The channel being tested')),
  channelKind: z.enum(['email', 'slack', 'webhook']),
  requestedBy: z.string().check(z.describe('The admin who asked for the test')),
  message: z.string().check(z.describe('A fixed line saying this is a test')),
});

export function channelTestEvent(
  orgId: string,
  data: Omit<z.infer<typeof channelTestDataSchema>, 'message'>,
  id: string,
  time: string,
): DomainEvent {
  return envelope(
    CHANNEL_TEST_EVENT,
    channelTestDataSchema,
    { id, time, orgId, subject: `notification-channel/${data.channelId}` },
    { ...data, message: 'This is a test message from Quartermaster: the channel works.' },
  );
}
