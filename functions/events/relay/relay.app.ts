import type { DynamoDBBatchResponse } from 'aws-lambda';
import { isOutboxInsert, outboxRecord, type OutboxStreamRecord } from '#adapters/dynamodb/outbox-stream';
import { relayOutbox } from '#domain/events/event-relay';
import type { EventSink } from '#domain/events/events.port';

export interface RelayEdges {
  /** EventBridge when deployed, the in-process bus locally. */
  sink: EventSink;
  onFailure?: (details: { failedRecordId: string; records: number; delivered: number }) => void;
}

/**
 * The relay function (`compose<Fn>`): a batch of the table's stream records → the outbox events they carry →
 * the bus, in order. A partial failure names the first record not delivered (`batchItemFailures`): the event
 * source mapping retries from it, so nothing committed is skipped. Records that are not outbox inserts are
 * skipped (the deployed filter never sends them; the local poller reads the whole stream).
 */
export function composeRelay(edges: RelayEdges) {
  return async (event: { Records: readonly OutboxStreamRecord[] }): Promise<DynamoDBBatchResponse> => {
    const records = event.Records.filter(isOutboxInsert).map(outboxRecord);
    const outcome = await relayOutbox(records, edges.sink);
    if (outcome.failedRecordId === undefined) return { batchItemFailures: [] };
    edges.onFailure?.({ failedRecordId: outcome.failedRecordId, records: records.length, delivered: outcome.delivered });
    return { batchItemFailures: [{ itemIdentifier: outcome.failedRecordId }] };
  };
}
