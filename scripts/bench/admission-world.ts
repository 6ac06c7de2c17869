import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { jobSpecSchema, type JobSpec } from '#domain/jobs/job.schema';
import { startDynamoDbLocal } from '#scripts/local/dynamodb-local';
import { ensureJava } from '#scripts/local/java';
import { localClientConfig } from '#scripts/local/local-aws';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { ensureTable } from '#scripts/local/table';

/** A cache window longer than any run, so catalog, quota and settings reads stay out of the measurement. */
const CACHE_MS = 3_600_000;

/** What the admission and scheduler benchmarks run on: the real submit and scheduler dependencies. */
export interface AdmissionWorld {
  doc: DynamoDBDocumentClient;
  table: string;
  jobs: DynamoJobRepository;
  /** Submit and scheduler-pass dependencies; limits high enough never to bind, dispatch a no-op. */
  deps: ReturnType<typeof admissionDeps>;
  /** One small job: 1 GPU for at most 10 minutes. */
  spec: JobSpec;
}

function admissionDeps(doc: DynamoDBDocumentClient, table: string, jobs: DynamoJobRepository, hardware: DynamoHardwareCatalog) {
  return {
    jobs,
    hardware,
    quotas: new DynamoQuotaRepository(doc, table, CACHE_MS),
    limits: { current: async () => ({ maxConcurrent: 1_000_000, userMaxConcurrent: 1_000_000 }) },
    events: new InProcessEventBus(),
    clock: systemClock,
    ids: ulidSource(),
    dispatch: { send: async () => undefined },
    backends: ['ecs'] as const,
    retentionDays: 90,
    fairShare: new DynamoFairShareSource(doc, table),
    scheduling: new DynamoSchedulingSettings(doc, table, CACHE_MS),
  };
}

/** Starts DynamoDB Local with a fresh `table` and the demo hardware, runs `body`, and always stops it. */
export async function withAdmissionWorld<T>(table: string, body: (world: AdmissionWorld) => Promise<T>): Promise<T> {
  ensureJava();
  const dynamo = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const doc = createDocumentClient({ client });
    await ensureTable(client, table);
    const hardware = new DynamoHardwareCatalog(doc, table, CACHE_MS);
    for (const hw of DEMO_HARDWARE) await hardware.put(hw);
    const jobs = new DynamoJobRepository(doc, table);
    const spec = jobSpecSchema.parse({
      name: 'bench',
      image: 'busybox',
      command: ['true'],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 10,
    });
    return await body({ doc, table, jobs, deps: admissionDeps(doc, table, jobs, hardware), spec });
  } finally {
    await dynamo.stop();
  }
}

/** Runs `count` tasks with `workers` in flight at once, as that many concurrent Lambda invocations would. */
export async function parallel<T>(
  count: number,
  workers: number,
  task: (index: number) => Promise<T>,
): Promise<{ perSecond: number; results: T[] }> {
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) results.push(await task(next++));
    }),
  );
  return { perSecond: count / ((performance.now() - started) / 1000), results };
}
