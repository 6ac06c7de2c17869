import type { EventPublisher } from '#domain/events/events.port';
import { dispatchRequest, type DispatchMessage } from '#domain/jobs/dispatch-message.schema';
import type { DispatchQueue } from '#domain/jobs/jobs.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/**
 * The dispatch queue as deployed functions see it: a `job.dispatch_requested` event recorded in the outbox,
 * relayed to the bus, whose rule delivers the message to SQS (see DISPATCH_REQUEST_PATTERN). For requests that
 * are a fact of their own (a re-sent launch, a stop after a repair); a state change that needs a dispatch
 * records `dispatchRequest` in its own transaction instead.
 */
export class EventDispatchQueue implements DispatchQueue {
  constructor(
    private readonly events: EventPublisher,
    private readonly ids: IdSource,
    private readonly clock: Clock,
  ) {}

  async send(message: DispatchMessage): Promise<void> {
    await this.events.publish([dispatchRequest(message, this.ids.next(), this.clock.now().toISOString())]);
  }
}
