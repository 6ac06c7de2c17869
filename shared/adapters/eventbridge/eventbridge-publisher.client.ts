import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, eventEnvelopeSchema, type DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';

/** Publishes domain events on the custom bus: `source` quartermaster, `detail-type` = event type. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 10) {
      const batch = events.slice(start, start + 10);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Time: new Date(event.time),
            Detail: JSON.stringify(eventEnvelopeSchema.parse(event)),
          })),
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const codes = (result.Entries ?? []).map((entry) => entry.ErrorCode).filter(Boolean);
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} event(s): ${codes.join(', ')}`);
      }
    }
  }
}
