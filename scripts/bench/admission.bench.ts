import { round } from './stats';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { Principal } from '#domain/authz/principal';
import { jobSpecSchema } from '#domain/jobs/job.schema';
import { submitJob } from '#domain/jobs/submit-job.service';
import { startDynamoDbLocal } from '#scripts/local/dynamodb-local';
import { ensureJava } from '#scripts/local/java';
import { localClientConfig } from '#scripts/local/local-aws';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { ensureTable } from '#scripts/local/table';
import { progress } from './bench-env';

/** Parallel callers, as many concurrent Lambda invocations would be. */
const WORKERS = 8;
const OPERATIONS = 240;

/**
 * Admission throughput (issue 5): admissions per second through the real submit path (draft, plan, one
 * TransactWriteItems with every counter and its ceiling) on DynamoDB Local, divided by a bare conditional
 * `UpdateItem` loop on one item with the same parallelism, in the same run. "Hot team": every job charges
 * one team, so its team, org and user counters contend. "Uncontended": each job has its own org, team and
 * user; only the deployment-wide concurrency counter is shared (it is by design).
 */
export async function run(): Promise<Record<string, unknown>> {
  ensureJava();
  const dynamo = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const doc = createDocumentClient({ client });
    const table = 'qm-bench-admission';
    await ensureTable(client, table);
    const hardware = new DynamoHardwareCatalog(doc, table, 3_600_000);
    for (const hw of DEMO_HARDWARE) await hardware.put(hw);
    const quotas = new DynamoQuotaRepository(doc, table, 3_600_000);
    const deps = {
      jobs: new DynamoJobRepository(doc, table),
      hardware,
      quotas,
      limits: { current: async () => ({ maxConcurrent: 1_000_000, userMaxConcurrent: 1_000_000 }) },
      events: new InProcessEventBus(),
      clock: systemClock,
      ids: ulidSource(),
      dispatch: { send: async () => undefined },
      backends: ['ecs'] as const,
      retentionDays: 90,
      scheduling: new DynamoSchedulingSettings(doc, table, 3_600_000),
    };
    const spec = jobSpecSchema.parse({
      name: 'bench',
      image: 'busybox',
      command: ['true'],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 10,
    });
    const principal = (i: number, hot: boolean): Principal => ({
      userId: hot ? `hot-user-${i % WORKERS}` : `user-${i}`,
      orgId: hot ? 'hot-org' : `org-${i}`,
      level: 'researcher',
      platformAdmin: false,
      teamIds: [hot ? 'hot-team' : `team-${i}`],
      authMethod: 'session',
    });

    progress('admission: warm-up');
    await parallel(WORKERS, WORKERS, (i) => submitJob({ principal: principal(i, false), spec }, deps));

    progress('admission: bare conditional-update loop on one item');
    const bare = await parallel(OPERATIONS, WORKERS, () =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'BENCH#bare', sk: 'COUNTER' },
          UpdateExpression: 'ADD #v :one',
          ConditionExpression: 'attribute_not_exists(#v) OR #v < :max',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':max': 1_000_000_000 },
        }),
      ),
    );
    progress('admission: hot team');
    const hot = await parallel(OPERATIONS, WORKERS, (i) => submitJob({ principal: principal(i, true), spec }, deps));
    progress('admission: uncontended tenants');
    const cold = await parallel(OPERATIONS, WORKERS, (i) => submitJob({ principal: principal(i + 10_000, false), spec }, deps));

    const admittedHot = hot.results.filter((r) => r.job.state === 'admitted').length;
    const admittedCold = cold.results.filter((r) => r.job.state === 'admitted').length;
    return {
      method: `${OPERATIONS} operations, ${WORKERS} in parallel, DynamoDB Local; ops/s = operations ÷ wall time`,
      bareConditionalUpdatePerSecond: round(bare.perSecond),
      hotTeam: { admissionsPerSecond: round(hot.perSecond), admitted: admittedHot, ratioToBare: round(hot.perSecond / bare.perSecond) },
      uncontendedTenants: {
        admissionsPerSecond: round(cold.perSecond),
        admitted: admittedCold,
        ratioToBare: round(cold.perSecond / bare.perSecond),
      },
      note: 'An admission is a key-only queue read plus one transaction writing the job and updating 6-8 counters with their ceilings; the bare loop is one single-item update.',
    };
  } finally {
    await dynamo.stop();
  }
}

async function parallel<T>(
  count: number,
  workers: number,
  task: (index: number) => Promise<T>,
): Promise<{ perSecond: number; results: T[] }> {
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        const index = next++;
        results.push(await task(index));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, results };
}
