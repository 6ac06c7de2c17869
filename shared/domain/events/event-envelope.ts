import * as z from 'zod/mini';

/** The source every Quartermaster domain event carries on EventBridge. */
export const EVENT_SOURCE = 'quartermaster';

/** One envelope for every domain event (DESIGN §4.9): `detail-type` on EventBridge is `type`. */
export const eventEnvelopeSchema = z.object({
  id: z.string(),
  type: z.string(),
  time: z.string(),
  orgId: z.string(),
  subject: z.string(),
  data: z.record(z.string(), z.unknown()),
  version: z.literal(1),
});
export type DomainEvent = z.infer<typeof eventEnvelopeSchema>;

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
