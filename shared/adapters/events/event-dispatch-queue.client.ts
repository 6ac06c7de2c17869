import { envelope } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { DISPATCH_REQUESTED_EVENT, dispatchMessageSchema, type DispatchMessage } from '#domain/jobs/dispatch-message.schema';
import type { DispatchQueue } from '#domain/jobs/jobs.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/**
 * The dispatch queue as deployed functions see it: a `job.dispatch_requested` event on the bus, whose
 * rule delivers the message to SQS (see DISPATCH_REQUEST_PATTERN). The envelope's org is `system`: the
 * message carries only the job id, and the dispatcher reads everything else from the job.
 */
export class EventDispatchQueue implements DispatchQueue {
  constructor(
    private readonly events: EventPublisher,
    private readonly ids: IdSource,
    private readonly clock: Clock,
  ) {}

  async send(message: DispatchMessage): Promise<void> {
    const data = dispatchMessageSchema.parse(message);
    const origin = { id: this.ids.next(), time: this.clock.now().toISOString(), orgId: 'system', subject: `job/${data.jobId}` };
    await this.events.publish([envelope(DISPATCH_REQUESTED_EVENT, dispatchMessageSchema, origin, data)]);
  }
}
