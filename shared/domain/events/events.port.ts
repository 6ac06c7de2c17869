import type { DomainEvent } from './event-envelope';

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
