import type { DomainEvent } from './event-envelope';
import type { EventSink } from './events.port';

/** The most entries one EventBridge PutEvents call takes. */
export const RELAY_CHUNK_SIZE = 10;

/**
 * One committed outbox item as the relay reads it from the table's change stream: `recordId` is the stream
 * record's sequence number (what a partial batch failure names), `event` the envelope stored at write time,
 * or undefined when the item cannot be read as one (never relayed; reported, so it ends in the DLQ).
 */
export interface OutboxRecord {
  recordId: string;
  event: DomainEvent | undefined;
}

export interface RelayOutcome {
  delivered: number;
  /** The first record not delivered: the stream retries from it (and everything after it) on a later attempt. */
  failedRecordId?: string;
}

/**
 * Relays a batch of outbox records in stream order, RELAY_CHUNK_SIZE at a time, and stops at the first
 * chunk with a failed entry: a stream's event source mapping retries from the lowest failed sequence
 * number, so everything after it is retried anyway (and keeps its order). An entry delivered before the
 * failure may be delivered again by that retry, with the same event id: consumers are idempotent per event
 * id (the notifier's delivery record, the dispatcher's state check), which makes the retry a no-op in
 * effect. An error thrown by the sink (an outage) counts as a failure of its whole chunk.
 */
export async function relayOutbox(records: readonly OutboxRecord[], sink: EventSink): Promise<RelayOutcome> {
  let delivered = 0;
  for (let start = 0; start < records.length; start += RELAY_CHUNK_SIZE) {
    const chunk = records.slice(start, start + RELAY_CHUNK_SIZE);
    const unreadable = chunk.findIndex((record) => record.event === undefined);
    const sendable = (unreadable >= 0 ? chunk.slice(0, unreadable) : chunk).map((record) => record.event as DomainEvent);
    let rejected: ReadonlySet<string>;
    try {
      rejected = new Set(sendable.length > 0 ? await sink.deliver(sendable) : []);
    } catch {
      return { delivered, failedRecordId: chunk[0]?.recordId };
    }
    const firstRejected = chunk.findIndex((record, index) => index < sendable.length && rejected.has(record.event?.id ?? ''));
    const firstFailed = [firstRejected, unreadable].filter((index) => index >= 0).sort((a, b) => a - b)[0];
    if (firstFailed !== undefined) return { delivered: delivered + firstFailed, failedRecordId: chunk[firstFailed]?.recordId };
    delivered += chunk.length;
  }
  return { delivered };
}
