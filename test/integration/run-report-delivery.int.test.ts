import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { isDependencyOutage } from '#adapters/runtime/dependency-outage';
import { transition } from '#domain/jobs/job-lifecycle';
import { deliverRunReport } from '#domain/job-flow/run-report-delivery';
import { applyRunReport } from '#domain/job-flow/run-status.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { startDynamoDbLocal, type DynamoDbLocal } from '#scripts/local/dynamodb-local';
import { localClientConfig } from '#scripts/local/local-aws';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { ensureTable } from '#scripts/local/table';
import { researcher, spec, testRuntime } from '#test-support/job-fixtures';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/concurrency';
import { handleDispatch } from '#domain/job-flow/dispatch.service';
import { composeReconciler } from '#functions/reconciler/reconciler.app';
import { LocalProcessBackend } from '#scripts/local/backend/local-process-backend';

/**
 * A job that finishes while DynamoDB is down ends `succeeded` once it is back: the completion report is
 * retried with backoff until stored, and when even that is given up (the process stops during the outage),
 * the reconciler repairs the job from the backend's exit file. Each test starts its own DynamoDB Local on disk
 * (the shared one must not be stopped), stops the process while the report is being delivered, and starts it
 * again on the same port and data.
 */
const TABLE = 'qm-report-delivery';
let dynamo: DynamoDbLocal | undefined;
const dataDirs: string[] = [];

afterAll(async () => {
  await dynamo?.stop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

/** Starts this test's own DynamoDB Local on disk in `dataDir` with the table and the demo hardware; `submit` admits a job at once. */
async function ownDynamo(dataDir: string) {
  dynamo = await startDynamoDbLocal({ dbPath: dataDir });
  const { port, endpoint } = dynamo;
  const setup = new DynamoDBClient(localClientConfig(endpoint));
  await ensureTable(setup, TABLE);
  setup.destroy();
  const doc = createDocumentClient({ endpoint });
  const jobs = new DynamoJobRepository(doc, TABLE);
  const hardware = new DynamoHardwareCatalog(doc, TABLE);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const runtime = testRuntime();
  const ending = { jobs, events: runtime.events, clock: runtime.clock, ids: runtime.ids, retentionDays: 90 };
  const submit = async (jobSpec = spec()) => {
    const submission = { principal: researcher(), spec: jobSpec };
    const admission = {
      ...ending,
      hardware,
      quotas: new DynamoQuotaRepository(doc, TABLE, 0),
      scheduling: new DynamoSchedulingSettings(doc, TABLE, 0),
      limits: { current: async () => ({ maxConcurrent: 100, userMaxConcurrent: 100 }) },
      backends: ['local'] as const,
    };
    return (await submitJob(submission, admission)).job;
  };
  return { port, doc, jobs, hardware, runtime, ending, submit };
}

describe('run report delivery during a DynamoDB outage', () => {
  it('keeps retrying the completion report and ends the job succeeded after recovery', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qm-ddb-outage-'));
    dataDirs.push(dataDir);
    const { port, jobs, ending, submit } = await ownDynamo(dataDir);
    const job = await submit();
    expect(job.state).toBe('admitted');
    const runRef = `local:${job.id}`;
    const at = new Date().toISOString();
    expect((await jobs.save(transition(job, 'starting', at, { runRef }), 'admitted')).ok).toBe(true);
    expect((await applyRunReport({ jobId: job.id, runRef, status: 'running' }, ending))?.state).toBe('running');

    // The job ends while the database is down.
    await dynamo!.stop();
    dynamo = undefined;
    let attempts = 0;
    const delivered = deliverRunReport(
      { jobId: job.id, runRef, status: 'ended', exitCode: 0 },
      {
        ...ending,
        isTransient: isDependencyOutage,
        sleep: async (ms) => {
          attempts += 1;
          await sleep(ms);
        },
        initialDelayMs: 200,
        maxDelayMs: 1_000,
      },
    );
    await sleep(2_000);
    expect(attempts).toBeGreaterThanOrEqual(2);
    dynamo = await startDynamoDbLocal({ port, dbPath: dataDir });

    const ended = await delivered;
    expect(ended?.state).toBe('succeeded');
    expect((await jobs.get(job.id))?.state).toBe('succeeded');
  });
});

describe('a completion report given up during a DynamoDB outage', () => {
  it('is repaired by the reconciler from the local backend exit file once the database is back', { timeout: 120_000 }, async () => {
    await dynamo?.stop();
    const dataDir = await mkdtemp(join(tmpdir(), 'qm-ddb-outage-'));
    const runsDir = await mkdtemp(join(tmpdir(), 'qm-ddb-outage-runs-'));
    dataDirs.push(dataDir, runsDir);
    const { port, doc, jobs, hardware, runtime, ending, submit } = await ownDynamo(dataDir);
    // The local stack's wiring: reports retried until stored, unless the process is stopping.
    let stopping = false;
    let attempts = 0;
    const deliveries: Promise<unknown>[] = [];
    const backend = new LocalProcessBackend(runsDir, (report) => {
      const delivery = { ...ending, isTransient: isDependencyOutage, keepTrying: () => !stopping, initialDelayMs: 200, maxDelayMs: 500 };
      deliveries.push(
        deliverRunReport(report, { ...delivery, sleep: async (ms) => void ((attempts += 1), await sleep(ms)) }).catch(
          (error: unknown) => error,
        ),
      );
    });
    const job = await submit(spec({ command: ['sh', '-c', 'sleep 1; echo trained'] }));
    expect(await handleDispatch({ action: 'launch', jobId: job.id }, { ...ending, hardware, backends: () => backend })).toBe('launched');

    // The database goes down while the job runs; the job ends; its report is retried, then given up.
    await dynamo!.stop();
    dynamo = undefined;
    for (let i = 0; i < 100 && attempts < 2; i++) await sleep(100);
    expect(attempts).toBeGreaterThanOrEqual(2);
    stopping = true;
    expect(await Promise.all(deliveries)).toEqual([expect.any(Error)]);

    dynamo = await startDynamoDbLocal({ port, dbPath: dataDir });
    expect((await jobs.get(job.id))?.state).toBe('running');
    const reconcile = composeReconciler(
      { QM_TABLE_NAME: TABLE, QM_JOB_RETENTION_DAYS: 90 },
      { doc, events: runtime.events, clock: runtime.clock, ids: runtime.ids, observers: { local: backend } },
    );
    expect((await reconcile()).repaired).toEqual([job.id]);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect((await jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(0);
  });
});
