import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventSink } from '#domain/events/events.port';
import { cancelJob } from '#domain/job-flow/cancel-job.service';
import { endJob } from '#domain/job-flow/job-ending';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { DISPATCH_REQUESTED_EVENT } from '#domain/jobs/dispatch-message.schema';
import { composeRelay } from '#functions/events/relay/relay.app';
import { localClientConfig } from '#scripts/local/local-aws';
import { startLocalStreamRelay } from '#scripts/local/local-stream-relay';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { createTestTable, localEndpoints, type TestTable } from '#test-support/integration-env';
import { researcher, spec, testRuntime } from '#test-support/job-fixtures';

/**
 * Issue 11's promise, end to end with the real services, DynamoDB Local's transactions and stream, and the relay
 * composition: events are derived from committed state. The services record each event in the transaction of
 * the change it announces; nothing runs between the commit and the relay that could lose it, a relay that
 * crashes and starts again delivers it again (consumers act once per event id), and a change whose transaction
 * a condition refused announces nothing.
 */
let table: TestTable;
const relays: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  table = await createTestTable();
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
});
afterAll(async () => {
  for (const relay of relays) await relay.stop();
});

function services() {
  const runtime = testRuntime();
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  // As deployed: the services' events go to the outbox, never straight to a bus.
  const ending = {
    jobs,
    events: new DynamoEventOutbox(table.doc, table.tableName),
    clock: runtime.clock,
    ids: runtime.ids,
    retentionDays: 90,
  };
  const submitDeps = {
    ...ending,
    hardware: new DynamoHardwareCatalog(table.doc, table.tableName),
    quotas: { forOrg: async () => [] },
    limits: { current: async () => ({ maxConcurrent: 10, userMaxConcurrent: 10 }) },
    scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
    backends: ['local'] as const,
  };
  return { jobs, ending, submitDeps };
}

/** The relay as deployed (`composeRelay`) behind the local event source mapping, from the stream's start. */
async function relayTo(sink: EventSink) {
  const errors: unknown[] = [];
  const relay = startLocalStreamRelay({
    ddb: table.ddb,
    streams: new DynamoDBStreamsClient(localClientConfig(localEndpoints().dynamoDb)),
    tableName: table.tableName,
    handler: composeRelay({ sink }),
    from: 'trim-horizon',
    maxAttempts: 1_000,
    idleMs: 20,
    onError: (error) => errors.push(error),
  });
  relays.push(relay);
  await relay.ready;
  return { relay, errors };
}

/** Outbox items of the table, by event type, for `jobId` (what the relay will ever see). */
async function outboxTypes(jobId: string): Promise<string[]> {
  const items = (await table.doc.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
  return items
    .filter((item) => String(item.pk).startsWith('OUTBOX#'))
    .map((item) => JSON.parse(String(item.envelope)) as DomainEvent)
    .filter((event) => event.subject === `job/${jobId}`)
    .map((event) => event.type)
    .sort();
}

describe('events of state changes through the outbox (DynamoDB Local transactions and stream, the relay composition)', () => {
  it('a crash between state change and relay loses no event, a relay crash duplicates none in effect, a refused change announces nothing', async () => {
    const { jobs, ending, submitDeps } = services();
    const principal = researcher('crash-owner');
    // The changes commit while no relay runs (it crashed, or has not been invoked yet): their events wait in the table.
    const { job } = await submitJob({ principal, spec: spec({ name: 'crash-test' }), idempotencyKey: 'crash-key' }, submitDeps);
    expect(job.state).toBe('admitted');
    // A replayed Idempotency-Key: its transaction is refused, nothing is recorded.
    expect((await submitJob({ principal, spec: spec({ name: 'crash-test' }), idempotencyKey: 'crash-key' }, submitDeps)).created).toBe(
      false,
    );
    const admitted = (await jobs.get(job.id))!;
    expect((await cancelJob(principal, job.id, ending)).state).toBe('cancelled');
    // The same end again from a stale view (a duplicated end event, a lost race): its condition refuses it.
    expect(await endJob(admitted, 'cancelled', { stateReason: 'stale' }, ending)).toBeUndefined();
    // Submitted and admitted (its launch request with it); cancelled while admitted (the run's stop request with it).
    const committed = ['job.cancelled', DISPATCH_REQUESTED_EVENT, DISPATCH_REQUESTED_EVENT, 'job.submitted'];
    expect(await outboxTypes(job.id)).toEqual(committed);

    // A relay starts, delivers the first event, then crashes mid-batch: the mapping retries the batch from its start.
    const first: string[] = [];
    let crashes = 0;
    const crashing: EventSink = {
      async deliver(events) {
        if (first.length > 0) {
          crashes += 1;
          throw new Error('relay crashed (simulated)');
        }
        first.push(...events.slice(0, 1).map((e) => e.id));
        return events.slice(1).map((e) => e.id);
      },
    };
    const crashed = await relayTo(crashing);
    await expect.poll(() => crashes, { timeout: 20_000 }).toBeGreaterThan(0);
    await crashed.relay.stop();
    expect(first).toHaveLength(1);

    // A fresh relay (a new invocation from the mapping's checkpoint; locally, the stream's start) delivers
    // everything again to a consumer that acts once per event id, as the notifier does.
    const arrivals: DomainEvent[] = [];
    const effects = new Map<string, DomainEvent>();
    const consumer: EventSink = {
      async deliver(events) {
        for (const event of events) {
          arrivals.push(event);
          if (!effects.has(event.id)) effects.set(event.id, event);
        }
        return [];
      },
    };
    const restarted = await relayTo(consumer);
    await expect
      .poll(() => [...effects.values()].filter((e) => e.subject === `job/${job.id}`).length, { timeout: 20_000 })
      .toBe(committed.length);
    await restarted.relay.stop();
    const ofJob = [...effects.values()].filter((e) => e.subject === `job/${job.id}`);
    // Nothing lost: every committed change's event arrived, the crashed relay's first delivery among them.
    expect(ofJob.map((e) => e.type).sort()).toEqual(committed);
    expect(ofJob.map((e) => e.id)).toContain(first[0]);
    // Nothing twice in effect: one effect per event, though events arrived more than once.
    expect(new Set(ofJob.map((e) => e.id)).size).toBe(committed.length);
    // No phantom: one job.submitted (the replay announced nothing), one job.cancelled (the stale end announced nothing).
    expect(ofJob.filter((e) => e.type === 'job.cancelled')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ state: 'cancelled' }) }),
    ]);
    expect(ofJob.filter((e) => e.type === 'job.submitted')).toHaveLength(1);
    expect(restarted.errors).toEqual([]);
  });
});
