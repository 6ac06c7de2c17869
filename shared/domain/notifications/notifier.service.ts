import type { ChannelSender, DeliveryAttempt, DeliveryLog, NotificationChannelRepository } from './notifications.port';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { webhookFailureEvent } from '#domain/events/system.events';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { channelWants, type NotificationChannel } from './notification-channel.schema';

export interface NotifierDeps {
  channels: Pick<NotificationChannelRepository, 'list'>;
  senders: Record<NotificationChannel['kind'], ChannelSender>;
  deliveries: DeliveryLog;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
}

export interface NotifyOutcome {
  delivered: string[];
  skipped: string[];
  failed: { channelId: string; error: string; retryAfterSeconds?: number | undefined }[];
}

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

/**
 * Delivers one event to every channel of its org that subscribes to it. `attempt` is the queue's receive
 * count; on `finalAttempt` a failed channel is announced as `system.webhook_failure` (except for that very
 * event type, so a broken channel cannot feed itself). The caller retries the message while `failed` is
 * not empty: channels that already succeeded are skipped by their delivery record.
 */
export async function notify(event: DomainEvent, attempt: number, finalAttempt: boolean, deps: NotifierDeps): Promise<NotifyOutcome> {
  const outcome: NotifyOutcome = { delivered: [], skipped: [], failed: [] };
  for (const channel of await channelsFor(event, deps)) {
    const at = deps.clock.now().toISOString();
    if (!(await deps.deliveries.claim(event.orgId, event.id, channel.id, at))) {
      outcome.skipped.push(channel.id);
      continue;
    }
    let result: DeliveryAttempt;
    try {
      result = await deps.senders[channel.kind](channel, event);
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : 'delivery failed', latencyMs: 0 };
    }
    await deps.deliveries.record(event.orgId, event.id, channel.id, { ...result, attempt, eventType: event.type, at });
    if (result.ok) {
      outcome.delivered.push(channel.id);
      continue;
    }
    const error = result.error ?? 'delivery failed';
    outcome.failed.push({ channelId: channel.id, error, retryAfterSeconds: result.retryAfterSeconds });
    if (finalAttempt && event.type !== 'system.webhook_failure') {
      const data = {
        channelId: channel.id,
        channelKind: channel.kind,
        eventId: event.id,
        eventType: event.type,
        attempts: attempt,
        ...(result.status !== undefined ? { lastStatus: result.status } : {}),
        lastError: error.slice(0, 500),
      };
      await deps.events.publish([webhookFailureEvent(event.orgId, data, deps.ids.next(), at)]);
    }
  }
  return outcome;
}
