import * as z from 'zod/mini';
import { envelope, type DomainEvent } from '#domain/events/event-envelope';

/**
 * Messages on the SQS dispatch queue. Delivery is at-least-once, so every consumer effect is idempotent:
 * `launch` is keyed by the job id at the backend, `stop` of an ended run is a no-op.
 */
export const dispatchMessageSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('launch'), jobId: z.string().check(z.minLength(1)) }),
  z.object({
    action: z.literal('stop'),
    jobId: z.string().check(z.minLength(1)),
    reason: z.string().check(z.maxLength(255)),
    /** The run to stop when it is no longer the job's current one (a launch the job was queued again from). */
    runRef: z.optional(z.string().check(z.minLength(1))),
  }),
]);
export type DispatchMessage = z.infer<typeof dispatchMessageSchema>;

/**
 * Deployed functions do not talk to SQS themselves: they publish this event on the bus, and an EventBridge
 * rule (with its own DLQ) delivers `detail.data` — the message — to the dispatch queue. One client fewer in
 * every publisher's bundle; the local stack routes the same pattern to local SQS.
 */
export const DISPATCH_REQUESTED_EVENT = 'job.dispatch_requested';

/**
 * The dispatch request as an event (its envelope's org is `system`: the message carries only the job id, and
 * the dispatcher reads everything else from the job). A state change that needs a launch or a stop records it
 * in its own transaction (the outbox), so the request exists exactly when the change does.
 */
export function dispatchRequest(message: DispatchMessage, id: string, time: string): DomainEvent {
  const data = dispatchMessageSchema.parse(message);
  return envelope(DISPATCH_REQUESTED_EVENT, dispatchMessageSchema, { id, time, orgId: 'system', subject: `job/${data.jobId}` }, data);
}
