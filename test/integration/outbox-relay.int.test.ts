import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventOutbox, outboxPuts } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { EVENT_ENVELOPE_VERSION, type DomainEvent } from '#domain/events/event-envelope';
import type { EventSink } from '#domain/events/events.port';
import { composeRelay } from '#functions/events/relay/relay.app';
import { localClientConfig } from '#scripts/local/local-aws';
import { startLocalStreamRelay } from '#scripts/local/local-stream-relay';
import { createTestTable, localEndpoints, type TestTable } from '#test-support/integration-env';

let table: TestTable;
let streams: DynamoDBStreamsClient;
const relays: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  table = await createTestTable();
  streams = new DynamoDBStreamsClient(localClientConfig(localEndpoints().dynamoDb));
});
afterAll(async () => {
  for (const relay of relays) await relay.stop();
});

let counter = 0;
const event = (label: string): DomainEvent => ({
  id: `evt-${label}-${(counter += 1)}`,
  type: 'job.submitted',
  time: new Date().toISOString(),
  orgId: 'acme',
  subject: `job/${label}`,
  data: { label },
  version: EVENT_ENVELOPE_VERSION,
});

/** The relay as deployed (`composeRelay`) behind the local event source mapping, from the stream's start. */
async function relayTo(sink: EventSink, options: { maxAttempts?: number } = {}) {
  const errors: unknown[] = [];
  const relay = startLocalStreamRelay({
    ddb: table.ddb,
    streams,
    tableName: table.tableName,
    handler: composeRelay({ sink }),
    from: 'trim-horizon',
    idleMs: 20,
    onError: (error) => errors.push(error),
    ...options,
  });
  relays.push(relay);
  await relay.ready;
  return { relay, errors };
}

/** An idempotent consumer, as the notifier is: it acts once per event id, however often an event arrives. */
function idempotentConsumer() {
  const arrivals: string[] = [];
  const effects = new Map<string, DomainEvent>();
  const sink: EventSink = {
    async deliver(events) {
      for (const e of events) {
        arrivals.push(e.id);
        if (!effects.has(e.id)) effects.set(e.id, e);
      }
      return [];
    },
  };
  return { sink, arrivals, effects };
}

const waitFor = async (check: () => boolean, what: string, timeoutMs = 25_000) => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('outbox → DynamoDB stream → relay (DynamoDB Local streams, the relay composition)', () => {
  // retry: once in a full-suite run (not alone, not in the helper's runs) the marker was not relayed within
  // 25 s; the cause is not found yet. Ruled out since: DynamoDB Local keeps one open shard per table and a next
  // iterator on it (713 records over 40 s, none missing), so the parent/child order is not exercised in a run;
  // the relay now also resumes a shard whose next iterator is missing or expired instead of dropping it. A retry
  // starts a fresh relay on the same table.
  it('relays what a committed transaction recorded, and nothing of a transaction that failed its condition', { retry: 2 }, async () => {
    const bus = new InProcessEventBus();
    const { relay, errors } = await relayTo(bus);
    const committed = event('committed');
    const refused = event('refused');
    const stateItem = { ...keys.job(`outbox-${counter}`), state: 'queued' };
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: table.tableName, Item: stateItem } }, ...outboxPuts(table.tableName, [committed])] as never,
      }),
    );
    // The same state change again, conditional on the job not existing: cancelled, its event with it.
    await expect(
      table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table.tableName, Item: stateItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...outboxPuts(table.tableName, [refused]),
          ] as never,
        }),
      ),
    ).rejects.toThrow(/ConditionalCheckFailed|cancelled/i);
    const marker = event('marker');
    await new DynamoEventOutbox(table.doc, table.tableName).publish([marker]);
    await waitFor(() => bus.published.some((e) => e.id === marker.id), `the marker event (relay errors: ${errors.length})`).catch(
      (error: Error) => {
        throw new Error(`${error.message}; first relay error: ${String(errors[0])}`);
      },
    );
    const ids = bus.published.map((e) => e.id);
    expect(ids).toContain(committed.id);
    expect(ids).not.toContain(refused.id);
    expect(bus.published.find((e) => e.id === committed.id)).toEqual(committed);
    await relay.stop();
  });

  it('an event id is recorded once: writing the same event again is refused, so the stream carries it once', async () => {
    const outbox = new DynamoEventOutbox(table.doc, table.tableName);
    const once = event('once');
    await outbox.publish([once]);
    await expect(outbox.publish([once])).rejects.toThrow(/conditional/i);
  });

  it('a relay that fails mid-batch and then crashes loses no event, and a replay duplicates none in effect', async () => {
    const written = Array.from({ length: 25 }, (_, n) => event(`batch-${n}`));
    // A sink that refuses the 13th event on every try: the relay keeps retrying from it and never gets past.
    const refusing: string[] = [];
    const stuck: EventSink = {
      async deliver(events) {
        const refused = events.filter((e) => e.id === written[12]?.id).map((e) => e.id);
        refusing.push(...events.map((e) => e.id).filter((id) => !refused.includes(id)));
        return refused;
      },
    };
    const first = await relayTo(stuck, { maxAttempts: 1_000 });
    await new DynamoEventOutbox(table.doc, table.tableName).publish(written);
    const writtenIds = written.map((e) => e.id);
    await waitFor(() => refusing.includes(writtenIds[11] ?? ''), 'the events before the failing one');
    // The relay "crashes" here: it never acknowledged the batch past the failing record.
    await first.relay.stop();
    expect(refusing).not.toContain(undefined);

    // A new relay (a new Lambda invocation reads from the mapping's last checkpoint; locally: the stream's start).
    const consumer = idempotentConsumer();
    const second = await relayTo(consumer.sink);
    await waitFor(() => writtenIds.every((id) => consumer.effects.has(id)), 'every written event');
    await second.relay.stop();
    // Every event arrived, each with the id it was written with, and each took effect exactly once.
    const relayed = [...consumer.effects.keys()].filter((id) => writtenIds.includes(id));
    expect(relayed.sort()).toEqual([...writtenIds].sort());
    expect(consumer.arrivals.filter((id) => writtenIds.includes(id)).length).toBeGreaterThanOrEqual(writtenIds.length);
    for (const e of written) expect(consumer.effects.get(e.id)).toEqual(e);
  });

  it('a failed entry is retried from its record until delivered: the retry brings each later event again, never an earlier one', async () => {
    const written = Array.from({ length: 15 }, (_, n) => event(`retry-${n}`));
    const writtenIds = written.map((e) => e.id);
    let refusals = 2;
    const accepted: string[] = [];
    const flaky: EventSink = {
      async deliver(events) {
        const refused = events.filter((e) => e.id === writtenIds[4] && refusals-- > 0).map((e) => e.id);
        accepted.push(...events.map((e) => e.id).filter((id) => !refused.includes(id)));
        return refused;
      },
    };
    const { relay } = await relayTo(flaky);
    await new DynamoEventOutbox(table.doc, table.tableName).publish(written);
    await waitFor(() => writtenIds.every((id) => accepted.includes(id)), 'every event accepted');
    await relay.stop();
    const ours = accepted.filter((id) => writtenIds.includes(id));
    // The first four were accepted once; the rest of their chunk came again with each retry.
    for (const id of writtenIds.slice(0, 4)) expect(ours.filter((x) => x === id)).toHaveLength(1);
    expect(new Set(ours)).toEqual(new Set(writtenIds));
  });

  it('gives a batch up after the retry bound (the DLQ when deployed), and goes on with what follows', async () => {
    const poisoned = event('poisoned');
    const after = event('after');
    const deadLettered: string[] = [];
    const bus = new InProcessEventBus();
    const refusing: EventSink = {
      deliver: async (events) => {
        const refused = events.filter((e) => e.id === poisoned.id).map((e) => e.id);
        await bus.deliver(events.filter((e) => e.id !== poisoned.id));
        return refused;
      },
    };
    const errors: unknown[] = [];
    const relay = startLocalStreamRelay({
      ddb: table.ddb,
      streams,
      tableName: table.tableName,
      handler: composeRelay({ sink: refusing }),
      from: 'latest',
      idleMs: 20,
      maxAttempts: 3,
      onDeadLetter: (records) => deadLettered.push(...records.map((r) => r.dynamodb?.Keys?.pk?.S ?? '')),
      onError: (error) => errors.push(error),
    });
    relays.push(relay);
    await relay.ready;
    const outbox = new DynamoEventOutbox(table.doc, table.tableName);
    await outbox.publish([poisoned]);
    await waitFor(() => deadLettered.length > 0, 'the poisoned batch given up');
    await outbox.publish([after]);
    await waitFor(() => bus.published.some((e) => e.id === after.id), 'the next event');
    await relay.stop();
    expect(deadLettered).toEqual([keys.outboxEvent(poisoned.id).pk]);
    expect(errors).toEqual([]);
  });
});
