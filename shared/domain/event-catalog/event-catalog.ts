import type * as z from 'zod/mini';
import { DISPATCH_REQUESTED_EVENT, dispatchMessageSchema } from '#domain/jobs/dispatch-message.schema';
import { APPROVAL_EVENT_DESCRIPTIONS, APPROVAL_EVENT_TYPES, approvalEventDataSchema } from '#domain/approvals/approval.events';
import { APPROVAL_FLOW_SIGNAL_EVENT, approvalFlowSignalSchema } from '#domain/approvals/approval-flow-signal';
import { AUTH_EVENT_DESCRIPTIONS, loginFailureDataSchema, newDeviceDataSchema } from '#domain/events/auth.events';
import { eventEnvelopeSchema, type DomainEvent } from '#domain/events/event-envelope';
import { JOB_EVENT_DESCRIPTIONS, JOB_EVENT_TYPES, jobEventDataSchema } from '#domain/jobs/job.events';
import { QUOTA_EVENT_DESCRIPTIONS, QUOTA_EVENT_TYPES, quotaEventDataSchema } from '#domain/quotas/quota.events';
import {
  CHANNEL_TEST_EVENT,
  channelTestDataSchema,
  providerEventDataSchema,
  SYSTEM_EVENT_DESCRIPTIONS,
  webhookFailureDataSchema,
} from '#domain/events/system.events';

/**
 * The event catalog (docs/events.md) as code: every event type, what it means, the subject it names and the
 * schema of its `data`. docs/events.md is generated from it (scripts/events/generate.ts); the notification
 * rule pattern and the channels' subscription check read NOTIFIABLE_EVENT_TYPES from here.
 */
export interface CatalogEntry {
  type: string;
  description: string;
  /** How `subject` is spelled, e.g. `job/<jobId>`. */
  subject: string;
  data: z.ZodMiniType<Record<string, unknown>>;
  /** Internal events cannot be subscribed to: they drive the system (the dispatch queue, the approval flows) or go to one channel only (a test). */
  internal?: true;
}

const family = <T extends string>(
  types: readonly T[],
  descriptions: Record<T, string>,
  subject: string,
  data: z.ZodMiniType<Record<string, unknown>>,
): CatalogEntry[] => types.map((type) => ({ type, description: descriptions[type], subject, data }));

export const EVENT_CATALOG: readonly CatalogEntry[] = [
  ...family(APPROVAL_EVENT_TYPES, APPROVAL_EVENT_DESCRIPTIONS, 'approval/<approvalId>', approvalEventDataSchema),
  ...family(JOB_EVENT_TYPES, JOB_EVENT_DESCRIPTIONS, 'job/<jobId>', jobEventDataSchema),
  ...family(QUOTA_EVENT_TYPES, QUOTA_EVENT_DESCRIPTIONS, 'quota/<quotaId>', quotaEventDataSchema),
  ...family(
    ['system.provider_error', 'system.provider_degraded'] as const,
    SYSTEM_EVENT_DESCRIPTIONS,
    'cluster/<clusterId> or backend/<kind>',
    providerEventDataSchema,
  ),
  ...family(['system.webhook_failure'] as const, SYSTEM_EVENT_DESCRIPTIONS, 'notification-channel/<channelId>', webhookFailureDataSchema),
  ...family(['auth.login_failure'] as const, AUTH_EVENT_DESCRIPTIONS, 'provider/<providerId> or auth', loginFailureDataSchema),
  ...family(['auth.new_device'] as const, AUTH_EVENT_DESCRIPTIONS, 'user/<userId>', newDeviceDataSchema),
  {
    type: DISPATCH_REQUESTED_EVENT,
    description: 'Internal: asks the dispatcher to launch or stop a job (the rule delivers `data` to the dispatch queue).',
    subject: 'job/<jobId>',
    data: dispatchMessageSchema,
    internal: true,
  },
  {
    type: APPROVAL_FLOW_SIGNAL_EVENT,
    description:
      "Internal: asks the approval bridge to start a held job's approval flow (`start`) or to end the wait of a request just closed (`resume`).",
    subject: 'approval/<approvalId>',
    data: approvalFlowSignalSchema,
    internal: true,
  },
  {
    type: CHANNEL_TEST_EVENT,
    description:
      'Recorded by `POST /v1/notification-channels/{id}/test`; the notifier delivers it to that one channel only (never by subscription), through the real delivery path, once.',
    subject: 'notification-channel/<channelId>',
    data: channelTestDataSchema,
    internal: true,
  },
];

/** Every type a notification channel may subscribe to, in catalog order. */
export const NOTIFIABLE_EVENT_TYPES: readonly string[] = EVENT_CATALOG.filter((entry) => !entry.internal).map((entry) => entry.type);

const byType = new Map(EVENT_CATALOG.map((entry) => [entry.type, entry]));

export function catalogEntry(type: string): CatalogEntry | undefined {
  return byType.get(type);
}

/**
 * Validates an event against the envelope and its type's data schema (consumers use it on what they read
 * from a queue). Throws on an unknown type or a payload the catalog does not describe.
 */
export function parseCatalogEvent(input: unknown): DomainEvent {
  const event = eventEnvelopeSchema.parse(input);
  const entry = byType.get(event.type);
  if (!entry) throw new Error(`unknown event type ${event.type}`);
  return { ...event, data: entry.data.parse(event.data) };
}
