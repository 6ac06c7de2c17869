import type { Principal } from '#domain/authz/principal';
import type { EventPublisher } from '#domain/events/events.port';
import { channelTestEvent } from '#domain/events/system.events';
import type { ListOptions, Page } from '#domain/page';
import type { DeliveryLog, DeliveryRecord, NotificationChannelRepository } from './notifications.port';
import { getChannel } from './notification-channels.service';
import { deliverToChannel, type NotifierDeps } from './notifier.service';

/** What the test route delivers with: the notifier's parts, minus the bus (a test never announces a failure). */
export type ChannelDeliveryDeps = Omit<NotifierDeps, 'channels' | 'events'> & {
  channels: Pick<NotificationChannelRepository, 'get' | 'list' | 'setDegraded'>;
};

const noEvents: EventPublisher = {
  publish: () => Promise.reject(new Error('a test delivery publishes no event')),
};

/**
 * `POST /v1/notification-channels/{id}/test`: a `system.test` event delivered to this one channel through the
 * same path as every notification (claim, sender with the URL guard and timeout, delivery record), whether or
 * not the channel subscribes to anything or is enabled. Returns the delivery record; a success clears a
 * degraded mark, a failure never sets one (only the last retry of a real event does).
 */
export async function sendTestMessage(principal: Principal, channelId: string, deps: ChannelDeliveryDeps): Promise<DeliveryRecord> {
  const channel = await getChannel(principal, channelId, deps);
  const event = channelTestEvent(
    principal.orgId,
    { channelId: channel.id, channelKind: channel.kind, requestedBy: principal.userId },
    deps.ids.next(),
    deps.clock.now().toISOString(),
  );
  const delivery = await deliverToChannel(channel, event, 1, false, { ...deps, events: noEvents });
  // A fresh event id cannot have been claimed before.
  if (delivery.skipped) throw new Error('the test delivery was claimed by another attempt');
  return delivery.record;
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
