import type { Principal } from '#domain/authz/principal';
import type { EventPublisher } from '#domain/events/events.port';
import { channelTestEvent } from '#domain/events/system.events';
import type { ListOptions, Page } from '#domain/page';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { DeliveryLog, DeliveryRecord, NotificationChannelRepository } from './notifications.port';
import { getChannel } from './notification-channels.service';

/** What the test route needs: the channel (org-scoped) and the outbox its `system.test` event goes to. */
export interface TestRequestDeps {
  channels: Pick<NotificationChannelRepository, 'get'>;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
}

/** A test delivery asked for: its delivery record appears in the channel's log under `eventId`. */
export interface TestRequest {
  channelId: string;
  eventId: string;
  eventType: string;
  requestedAt: string;
}

/**
 * `POST /v1/notification-channels/{id}/test`: records a `system.test` event naming this one channel in the
 * outbox; the relay puts it on the bus and the notifier delivers it through the same path as every notification
 * (claim, sender with the URL guard at connect time and the timeout, delivery record), whether or not the channel
 * subscribes to anything or is enabled. The API function itself sends nothing (no SES, no outbound HTTP, no
 * secret read): the caller reads the outcome in the delivery log under the returned event id.
 */
export async function requestTestMessage(principal: Principal, channelId: string, deps: TestRequestDeps): Promise<TestRequest> {
  const channel = await getChannel(principal, channelId, deps);
  const requestedAt = deps.clock.now().toISOString();
  const event = channelTestEvent(
    principal.orgId,
    { channelId: channel.id, channelKind: channel.kind, requestedBy: principal.userId },
    deps.ids.next(),
    requestedAt,
  );
  await deps.events.publish([event]);
  return { channelId: channel.id, eventId: event.id, eventType: event.type, requestedAt };
}

/** A channel's delivery log, newest first; a foreign or missing channel answers 404. */
export async function listDeliveries(
  principal: Principal,
  channelId: string,
  options: ListOptions,
  deps: { channels: Pick<NotificationChannelRepository, 'get'>; deliveries: Pick<DeliveryLog, 'list'> },
): Promise<Page<DeliveryRecord>> {
  const channel = await getChannel(principal, channelId, deps);
  return deps.deliveries.list(principal.orgId, channel.id, options);
}
