import { EVENT_SOURCE, eventEnvelopeSchema, type DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { matchesPattern, type EventPattern } from '#domain/event-catalog/event-rules';
import type { EventSink } from '#domain/events/events.port';

type Subscriber = (event: DomainEvent) => Promise<void> | void;

/**
 * The local stack's stand-in for EventBridge: same envelope, same rule patterns, delivered asynchronously
 * (like EventBridge, a publisher never waits for its subscribers, and a failing subscriber is logged, not
 * thrown back). Used only by the local stack and tests. Locally the outbox relay delivers to it (`deliver`,
 * the relay's sink), as it delivers to EventBridge when deployed.
 */
export class InProcessEventBus implements EventPublisher, EventSink {
  private readonly rules: { pattern: EventPattern; target: Subscriber }[] = [];
  readonly published: DomainEvent[] = [];

  constructor(private readonly onError: (error: unknown, event: DomainEvent) => void = () => undefined) {}

  subscribe(pattern: EventPattern, target: Subscriber): void {
    this.rules.push({ pattern, target });
  }

  async deliver(events: readonly DomainEvent[]): Promise<readonly string[]> {
    await this.publish(events);
    return [];
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      const valid = eventEnvelopeSchema.parse(event);
      this.published.push(valid);
      for (const rule of this.rules) {
        if (!matchesPattern(rule.pattern, { source: EVENT_SOURCE, detailType: valid.type })) continue;
        setImmediate(() => {
          Promise.resolve()
            .then(() => rule.target(valid))
            .catch((error: unknown) => this.onError(error, valid));
        });
      }
    }
  }
}
