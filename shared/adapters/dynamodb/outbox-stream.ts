import { eventEnvelopeSchema } from '#domain/events/event-envelope';
import type { OutboxRecord } from '#domain/events/event-relay';
import { OUTBOX_PREFIX } from './table-keys';

/**
 * What the relay reads of a DynamoDB stream record: the shape Lambda hands a stream-fed function and the
 * DynamoDB Streams API returns alike (so the local stack's poller feeds the same relay).
 */
export interface OutboxStreamRecord {
  eventName?: string | undefined;
  dynamodb?:
    | {
        SequenceNumber?: string | undefined;
        Keys?: Record<string, { S?: string | undefined }> | undefined;
        NewImage?: Record<string, { S?: string | undefined }> | undefined;
      }
    | undefined;
}

/**
 * The stream filter, as data: only new outbox items invoke the relay (not their TTL removal, not any other
 * item). CDK deploys it as the event source mapping's filter; the local poller applies the same predicate.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: 'INSERT',
  partitionKeyPrefix: OUTBOX_PREFIX,
} as const;

export function isOutboxInsert(record: OutboxStreamRecord): boolean {
  return (
    record.eventName === OUTBOX_STREAM_FILTER.eventName &&
    (record.dynamodb?.Keys?.pk?.S ?? '').startsWith(OUTBOX_STREAM_FILTER.partitionKeyPrefix)
  );
}

/** The envelope an outbox item stored (see `outboxItem`), or undefined when the image is not a valid one. */
export function outboxRecord(record: OutboxStreamRecord): OutboxRecord {
  const recordId = record.dynamodb?.SequenceNumber ?? '';
  const text = record.dynamodb?.NewImage?.envelope?.S;
  if (!text) return { recordId, event: undefined };
  try {
    const parsed = eventEnvelopeSchema.safeParse(JSON.parse(text));
    return { recordId, event: parsed.success ? parsed.data : undefined };
  } catch {
    return { recordId, event: undefined };
  }
}
