import { PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventEnvelopeSchema, type DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import * as keys from './table-keys';

/** An outbox item outlives its relay by far (the stream keeps records 24 h): then DynamoDB TTL removes it. */
export const OUTBOX_RETENTION_SECONDS = 24 * 3600;
/** The most items one TransactWriteItems call takes. */
const TRANSACTION_LIMIT = 100;

/**
 * The stored form of an event in the outbox: the whole envelope as JSON text (`envelope`), exactly what the
 * relay puts on the bus, validated here so nothing the envelope does not describe is ever stored or relayed.
 */
export function outboxItem(event: DomainEvent): Record<string, unknown> {
  const valid = eventEnvelopeSchema.parse(event);
  return {
    ...keys.outboxEvent(valid.id),
    type: valid.type,
    envelope: JSON.stringify(valid),
    expiresAt: Math.floor(Date.parse(valid.time) / 1000) + OUTBOX_RETENTION_SECONDS,
  };
}

/**
 * The transaction items that record `events` beside a state change: a repository appends them to the
 * TransactWriteItems of that change, so the events exist exactly when the change commits. Each is
 * conditional on its id being new: an event is recorded (and relayed) once.
 */
export function outboxPuts(tableName: string, events: readonly DomainEvent[]): Record<string, unknown>[] {
  return events.map((event) => ({
    Put: { TableName: tableName, Item: outboxItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
  }));
}

/**
 * The outbox for events that are a fact of their own, with no other state change to ride with (a refused
 * sign-in, a delivery that failed for good, a dispatch request): recording them is the committed write the
 * relay derives them from. Events that announce a state change go into that change's transaction instead
 * (`outboxPuts`). Several events are recorded together, all or none.
 */
export class DynamoEventOutbox implements EventPublisher {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 1) {
      const [put] = outboxPuts(this.tableName, events) as { Put: ConstructorParameters<typeof PutCommand>[0] }[];
      if (put) await this.doc.send(new PutCommand(put.Put));
      return;
    }
    for (let start = 0; start < events.length; start += TRANSACTION_LIMIT) {
      const items = outboxPuts(this.tableName, events.slice(start, start + TRANSACTION_LIMIT));
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    }
  }
}
