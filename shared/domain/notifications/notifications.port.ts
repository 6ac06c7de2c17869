import type { DomainEvent } from '#domain/events/event-envelope';
import type { ListOptions, Page } from '#domain/page';
import type { NotificationChannel } from './notification-channel.schema';
import type { PersonalSubscription } from './personal-subscription.schema';

export interface NotificationChannelRepository {
  get(orgId: string, id: string): Promise<NotificationChannel | undefined>;
  list(orgId: string, options: ListOptions): Promise<Page<NotificationChannel>>;
  /** Creates (`expectedVersion` 0) or replaces at `expectedVersion`; false when taken or moved. */
  save(channel: NotificationChannel, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, id: string): Promise<boolean>;
  /**
   * Marks the channel degraded (or healthy again, with `undefined`) without touching its version: an admin's
   * concurrent edit is not refused because a delivery failed. No-op when the channel is gone. `events` (the
   * `system.webhook_failure` of a channel marked degraded) are recorded in the outbox by the same transaction.
   */
  setDegraded(
    orgId: string,
    id: string,
    degraded: { at: string; reason: string } | undefined,
    events?: readonly DomainEvent[],
  ): Promise<void>;
}

/** What one attempt to reach a channel came to (no body, no URL, no secret). */
export interface DeliveryAttempt {
  ok: boolean;
  /** HTTP status of a webhook or Slack target; email reports none. */
  status?: number | undefined;
  error?: string | undefined;
  /** Seconds the target asked us to wait before the next attempt (`Retry-After`). */
  retryAfterSeconds?: number | undefined;
  latencyMs: number;
}

/**
 * One line of a channel's delivery log (`GET /v1/notification-channels/{id}/deliveries`): per (event, channel),
 * the latest attempt. It names the event and what the target answered, never a body, URL, address or secret.
 */
export interface DeliveryRecord {
  channelId: string;
  eventId: string;
  eventType: string;
  status: 'delivered' | 'failed' | 'sending';
  attempt: number;
  lastAttemptAt: string;
  latencyMs?: number | undefined;
  responseCode?: number | undefined;
  lastError?: string | undefined;
  deliveredAt?: string | undefined;
}

/**
 * Delivery records, one per (event id, channel): the idempotency key of deliveries and the channel's log.
 * `claim` is a conditional write that fails once the pair was delivered (or while another attempt holds its
 * lease), so a redelivered queue message sends at most once per channel that already succeeded.
 */
export interface DeliveryLog {
  /** False when this (event, channel) was already delivered, or another attempt is sending it now. */
  claim(orgId: string, eventId: string, channelId: string, at: string): Promise<boolean>;
  record(
    orgId: string,
    eventId: string,
    channelId: string,
    outcome: DeliveryAttempt & { attempt: number; eventType: string; at: string },
  ): Promise<DeliveryRecord>;
  /** The channel's records, newest event first. */
  list(orgId: string, channelId: string, options: ListOptions): Promise<Page<DeliveryRecord>>;
}

/** Sends one event to one channel of its kind (webhook, Slack, email). */
export type ChannelSender = (channel: NotificationChannel, event: DomainEvent) => Promise<DeliveryAttempt>;

/** One email to one recipient, as the transport sends it. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends an email (deployed: SES v2 from the stage's verified sender identity; the local stack: SMTP to the dev
 * mailbox, a stand-in for SES). Throws when the message was not accepted; the error names no address.
 */
export interface EmailTransport {
  send(message: EmailMessage): Promise<void>;
}

/**
 * Personal subscriptions (docs/events.md, "Personal notifications"), one per user of an org, written by the
 * user alone through `/v1/me/notifications` and read by the notifier.
 */
export interface PersonalSubscriptionRepository {
  get(orgId: string, userId: string): Promise<PersonalSubscription | undefined>;
  /** Replaces the user's choice (their own settings: the last write wins). */
  put(subscription: PersonalSubscription): Promise<void>;
  /** Every user of the org who asked for the approval requests that wait for them. */
  approvalSubscribers(orgId: string): Promise<PersonalSubscription[]>;
}
