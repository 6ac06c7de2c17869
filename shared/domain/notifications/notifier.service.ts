import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { CHANNEL_TEST_EVENT, webhookFailureEvent } from '#domain/events/system.events';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { ChannelSender, DeliveryAttempt, DeliveryLog, DeliveryRecord, NotificationChannelRepository } from './notifications.port';
import { channelWants, type NotificationChannel } from './notification-channel.schema';
import { notifyPeople, type PersonalDeliveryDeps } from './personal-delivery.service';

export interface NotifierDeps {
  channels: Pick<NotificationChannelRepository, 'get' | 'list' | 'setDegraded'>;
  senders: Record<NotificationChannel['kind'], ChannelSender>;
  deliveries: DeliveryLog;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  /** Personal email (users' own subscriptions); absent where only channels are delivered (the test route). */
  personal?: PersonalDeliveryDeps | undefined;
}

export interface NotifyOutcome {
  delivered: string[];
  skipped: string[];
  failed: { channelId: string; error: string; retryAfterSeconds?: number | undefined }[];
}

/** What one delivery to one channel came to: `skipped` when it was already delivered (or is being sent). */
export type ChannelDelivery = { skipped: true } | { skipped: false; record: DeliveryRecord; retryAfterSeconds?: number | undefined };

async function channelsFor(event: DomainEvent, deps: NotifierDeps): Promise<NotificationChannel[]> {
  const wanted: NotificationChannel[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.channels.list(event.orgId, { limit: 100, cursor });
    wanted.push(...page.items.filter((channel) => channelWants(channel, event)));
    cursor = page.nextCursor;
  } while (cursor);
  return wanted;
}

async function attemptSend(channel: NotificationChannel, event: DomainEvent, deps: NotifierDeps): Promise<DeliveryAttempt> {
  try {
    return await deps.senders[channel.kind](channel, event);
  } catch (error) {
    // Sender errors name the rule that failed, never a URL, address or secret (docs/events.md).
    return { ok: false, error: error instanceof Error ? error.message : 'delivery failed', latencyMs: 0 };
  }
}

/**
 * Delivers `event` to one channel, at most once per (event id, channel): the delivery record is claimed first
 * (a conditional write), then the outcome recorded. A success clears the channel's degraded mark; a failure on
 * `finalAttempt` sets it and announces `system.webhook_failure` (except for that very event type, so a broken
 * channel cannot feed itself).
 */
export async function deliverToChannel(
  channel: NotificationChannel,
  event: DomainEvent,
  attempt: number,
  finalAttempt: boolean,
  deps: NotifierDeps,
): Promise<ChannelDelivery> {
  const at = deps.clock.now().toISOString();
  if (!(await deps.deliveries.claim(event.orgId, event.id, channel.id, at))) return { skipped: true };
  const result = await attemptSend(channel, event, deps);
  const record = await deps.deliveries.record(event.orgId, event.id, channel.id, { ...result, attempt, eventType: event.type, at });
  if (result.ok) {
    if (channel.degradedAt) await deps.channels.setDegraded(event.orgId, channel.id, undefined);
    return { skipped: false, record };
  }
  const error = (result.error ?? 'delivery failed').slice(0, 500);
  if (finalAttempt) {
    // The channel is marked degraded and `system.webhook_failure` announced in one transaction (the outbox).
    const failures = [];
    if (event.type !== 'system.webhook_failure') {
      const data = {
        channelId: channel.id,
        channelKind: channel.kind,
        eventId: event.id,
        eventType: event.type,
        attempts: attempt,
        ...(result.status !== undefined ? { lastStatus: result.status } : {}),
        lastError: error,
      };
      failures.push(webhookFailureEvent(event.orgId, data, deps.ids.next(), at));
    }
    await deps.channels.setDegraded(event.orgId, channel.id, { at, reason: `${event.type} ${event.id}: ${error}` }, failures);
  }
  return { skipped: false, record, retryAfterSeconds: result.retryAfterSeconds };
}

/**
 * Delivers one event to every channel of its org that subscribes to it, the channels side by side (each
 * attempt is bounded by the senders' timeout), and to the people who subscribed to it themselves (their
 * entries are named `user:<userId>`). `attempt` is the queue's receive count. The caller retries the message
 * while `failed` is not empty: channels and people that already succeeded are skipped by their delivery record.
 */
export async function notify(event: DomainEvent, attempt: number, finalAttempt: boolean, deps: NotifierDeps): Promise<NotifyOutcome> {
  // A channel test goes to the channel it names, and to nobody else (no subscription, no person).
  if (event.type === CHANNEL_TEST_EVENT) return deliverTest(event, attempt, deps);
  const [outcome, people] = await Promise.all([
    notifyChannels(event, attempt, finalAttempt, deps),
    deps.personal ? notifyPeople(event, attempt, deps.personal) : undefined,
  ]);
  if (people) {
    outcome.delivered.push(...people.delivered);
    outcome.skipped.push(...people.skipped);
    outcome.failed.push(...people.failed);
  }
  return outcome;
}

async function notifyChannels(event: DomainEvent, attempt: number, finalAttempt: boolean, deps: NotifierDeps): Promise<NotifyOutcome> {
  const outcome: NotifyOutcome = { delivered: [], skipped: [], failed: [] };
  const channels = await channelsFor(event, deps);
  const results = await Promise.all(channels.map((channel) => deliverToChannel(channel, event, attempt, finalAttempt, deps)));
  results.forEach((result, index) => {
    const channelId = (channels[index] as NotificationChannel).id;
    if (result.skipped) outcome.skipped.push(channelId);
    else if (result.record.status === 'delivered') outcome.delivered.push(channelId);
    else
      outcome.failed.push({ channelId, error: result.record.lastError ?? 'delivery failed', retryAfterSeconds: result.retryAfterSeconds });
  });
  return outcome;
}

/**
 * A channel test (`system.test`, from `POST /v1/notification-channels/{id}/test`): delivered to the channel it
 * names only, whether or not the channel subscribes to anything or is enabled, through the same
 * `deliverToChannel`. Its record tells the admin what happened; a failure is not retried (the admin asked for
 * one attempt and reads it at once) and never marks the channel degraded, while a success clears the mark. A
 * channel deleted meanwhile gets nothing.
 */
async function deliverTest(event: DomainEvent, attempt: number, deps: NotifierDeps): Promise<NotifyOutcome> {
  const outcome: NotifyOutcome = { delivered: [], skipped: [], failed: [] };
  const channelId = event.data['channelId'];
  const channel = typeof channelId === 'string' ? await deps.channels.get(event.orgId, channelId) : undefined;
  if (!channel) return outcome;
  const result = await deliverToChannel(channel, event, attempt, false, deps);
  if (result.skipped) outcome.skipped.push(channel.id);
  else if (result.record.status === 'delivered') outcome.delivered.push(channel.id);
  return outcome;
}
