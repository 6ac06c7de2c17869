import type { DomainEvent } from './event-envelope';

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** Where the outbox relay delivers events: the EventBridge bus when deployed, the in-process bus locally. */
export interface EventSink {
  /** Delivers at most RELAY_CHUNK_SIZE (10) events; resolves with the ids of those the sink did not accept. */
  deliver(events: readonly DomainEvent[]): Promise<readonly string[]>;
}
