import * as z from 'zod/mini';

/** The source every Quartermaster domain event carries on EventBridge. */
export const EVENT_SOURCE = 'quartermaster';

/** Version of the envelope below. A change that is not purely additive raises it (see docs/events.md). */
export const EVENT_ENVELOPE_VERSION = 1;

/**
 * One envelope for every domain event (docs/events.md): `detail-type` on EventBridge is `type`, `detail` is the
 * whole envelope. `orgId` is the org the event belongs to (`platform` or `system` for deployment-wide ones),
 * `subject` names the object (`job/<id>`, `quota/<id>`, …). What `data` holds is fixed per type by the
 * catalog (`event-catalog.ts`); at this transport level it is any JSON object.
 */
export const eventEnvelopeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  time: z.string().check(z.minLength(1)),
  orgId: z.string().check(z.minLength(1)),
  subject: z.string().check(z.minLength(1)),
  data: z.record(z.string(), z.unknown()),
  version: z.literal(EVENT_ENVELOPE_VERSION),
});
export type DomainEvent = z.infer<typeof eventEnvelopeSchema>;

/** Where an event comes from and what it is about: everything but `type`, `data` and `version`. */
export interface EventOrigin {
  id: string;
  time: string;
  orgId: string;
  subject: string;
}

/**
 * Builds an envelope whose `data` is checked against its type's schema, so a builder can never publish a
 * payload the catalog does not describe (and fields a schema does not list are dropped, not leaked).
 */
export function envelope<S extends z.ZodMiniType<Record<string, unknown>>>(
  type: string,
  dataSchema: S,
  origin: EventOrigin,
  data: z.input<S>,
): DomainEvent {
  return { ...origin, type, version: EVENT_ENVELOPE_VERSION, data: dataSchema.parse(data) };
}
