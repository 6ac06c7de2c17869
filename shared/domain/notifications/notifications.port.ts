import type { DomainEvent } from '#domain/events/event-envelope';
import type { NotificationChannel } from './notification-channel.schema';
import type { ListOptions, Page } from '#domain/page';

export interface NotificationChannelRepository {
  get(orgId: string, id: string): Promise<NotificationChannel | undefined>;
  list(orgId: string, options: ListOptions): Promise<Page<NotificationChannel>>;
  /** Creates (`expectedVersion` 0) or replaces at `expectedVersion`; false when taken or moved. */
  save(channel: NotificationChannel, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, id: string): Promise<boolean>;
}

/** What one attempt to reach a channel came to (no body, no URL, no secret). */
export interface DeliveryAttempt {
  ok: boolean;
  status?: number | undefined;
  error?: string | undefined;
  retryAfterSeconds?: number | undefined;
  latencyMs: number;
}
/**
 * One record per (event id, channel): the idempotency key of deliveries. `claim` is a conditional write that
 * fails once the pair was delivered, so a redelivered queue message sends at most once per channel that
 * already succeeded.
 */
export interface DeliveryLog {
  /** False when this (event, channel) was already delivered. */
  claim(orgId: string, eventId: string, channelId: string, at: string): Promise<boolean>;
  record(
    orgId: string,
    eventId: string,
    channelId: string,
    outcome: DeliveryAttempt & { attempt: number; eventType: string; at: string },
  ): Promise<void>;
}

/** Sends one event to one channel of its kind (webhook, Slack, email). */
export type ChannelSender = (channel: NotificationChannel, event: DomainEvent) => Promise<DeliveryAttempt>;
