import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll } from 'vitest';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { EventDispatchQueue } from '#adapters/events/event-dispatch-queue.client';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import type { EventSink } from '#domain/events/events.port';
import { DISPATCH_REQUESTED_EVENT, dispatchMessageSchema, type DispatchMessage } from '#domain/jobs/dispatch-message.schema';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { composeRelay } from '#functions/events/relay/relay.app';
import { localClientConfig } from '#scripts/local/local-aws';
import { startLocalStreamRelay } from '#scripts/local/local-stream-relay';
import { localEndpoints, type TestTable } from './integration-env';

const started = new Set<{ stop(): Promise<void> }>();
// Every relay a test file started stops when the file ends: its polling loop must not outlive the file's tables.
afterAll(async () => {
  for (const relay of started) await relay.stop();
  started.clear();
});

/**
 * `background: true` for a world whose bus has a consumer that nothing drains for (the approval bridge starts and
 * resumes flows on its own, as deployed): the relay then polls the stream every 25 ms while idle.
 */
export interface RelayMode {
  background?: boolean;
}

/**
 * The outbox relay of a test table, as the local stack runs it: DynamoDB Local's stream → `composeRelay` →
 * `sink` (usually the test's in-process bus). Events reach the sink only through it, as deployed, and only when
 * the test calls `drain()` (no background polling): before it looks at what was published. Stopped when the
 * test file ends.
 */
export async function startTestRelay(table: Pick<TestTable, 'ddb' | 'tableName'>, sink: EventSink, options: RelayMode = {}) {
  const errors: unknown[] = [];
  const relay = startLocalStreamRelay({
    ddb: table.ddb,
    streams: new DynamoDBStreamsClient(localClientConfig(localEndpoints().dynamoDb)),
    tableName: table.tableName,
    handler: composeRelay({ sink }),
    from: 'trim-horizon',
    // Read on demand only (every look at what was published drains first), unless a consumer must be fed as
    // deployed, without anyone draining: then it polls like the local stack's relay.
    background: options.background ?? false,
    ...(options.background ? { idleMs: 25 } : {}),
    onError: (error) => errors.push(error),
  });
  started.add(relay);
  await relay.ready;
  return { drain: relay.drain, stop: relay.stop, errors };
}

/**
 * Events as deployed functions record them, for a test table: `events` is the outbox (writers record events in
 * the table, in the transaction of their change), the relay reads them from the stream onto `bus`, and
 * `dispatch` records dispatch requests the same way. `published()` and `dispatched()` drain the relay first, so
 * they hold everything committed before the call.
 */
export async function relayedEvents(
  table: Pick<TestTable, 'ddb' | 'doc' | 'tableName'>,
  runtime: { ids: IdSource; clock: Clock },
  mode: RelayMode = {},
) {
  const bus = new InProcessEventBus();
  const relay = await startTestRelay(table, bus, mode);
  const events = new DynamoEventOutbox(table.doc, table.tableName);
  return {
    events,
    bus,
    dispatch: new EventDispatchQueue(events, runtime.ids, runtime.clock),
    drain: relay.drain,
    stop: relay.stop,
    errors: relay.errors,
    async published() {
      await relay.drain();
      return bus.published;
    },
    async dispatched(): Promise<DispatchMessage[]> {
      await relay.drain();
      return bus.published.filter((e) => e.type === DISPATCH_REQUESTED_EVENT).map((e) => dispatchMessageSchema.parse(e.data));
    },
  };
}
export type RelayedEvents = Awaited<ReturnType<typeof relayedEvents>>;
