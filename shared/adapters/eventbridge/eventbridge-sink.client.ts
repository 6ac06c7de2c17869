import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '#domain/events/event-envelope';
import { RELAY_CHUNK_SIZE } from '#domain/events/event-relay';
import type { EventSink } from '#domain/events/events.port';

/**
 * The relay's way onto the custom bus: `source` quartermaster, `detail-type` = event type, `detail` = the
 * envelope. PutEvents accepts or rejects each entry on its own; the ids of rejected entries are handed back
 * so the relay retries from the first of them. Only the relay function carries this client.
 */
export class EventBridgeSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async deliver(events: readonly DomainEvent[]): Promise<readonly string[]> {
    if (events.length > RELAY_CHUNK_SIZE) throw new Error(`PutEvents takes at most ${RELAY_CHUNK_SIZE} entries`);
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: events.map((event) => ({
          EventBusName: this.busName,
          Source: EVENT_SOURCE,
          DetailType: event.type,
          Time: new Date(event.time),
          Detail: JSON.stringify(event),
        })),
      }),
    );
    if ((result.FailedEntryCount ?? 0) === 0) return [];
    // Entries come back in request order; a failed one carries an ErrorCode and no EventId.
    return events.filter((_, index) => result.Entries?.[index]?.ErrorCode || !result.Entries?.[index]?.EventId).map((event) => event.id);
  }
}
