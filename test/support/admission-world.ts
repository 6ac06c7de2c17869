import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job } from '#domain/jobs/job.schema';
import type { JobRepository } from '#domain/jobs/jobs.port';
import type { Quota } from '#domain/quotas/quota.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { createTestTable } from './integration-env';
import { relayedEvents } from './outbox-relay';

export interface AdmissionWorldOptions<C extends Clock> {
  /** The deployment's concurrency limits (`QM_MAX_CONCURRENT`, `QM_USER_MAX_CONCURRENT`). */
  limits: { maxConcurrent: number; userMaxConcurrent: number };
  /** Quotas stored before the first submission. */
  quotas?: readonly Quota[];
  /** How long the quota repository caches an org's quotas; 0 (the default) reads them on every admission. */
  quotaCacheMs?: number;
  /** The clock of the services and of fair-share decay. */
  clock: C;
}

/**
 * Submission, admission and ending against DynamoDB Local: a fresh table with the demo hardware catalog,
 * the real job, quota, fair-share and scheduling-settings repositories, and events and dispatch requests as
 * deployed: outbox items relayed from the table's stream (`outbox.published()`, `outbox.dispatched()`). `deps` serves `submitJob`, `runSchedulerPass` and
 * `endJob`; a test adds what else its service needs (`{ ...world.deps, teams }`).
 */
export async function admissionWorld<C extends Clock>(options: AdmissionWorldOptions<C>) {
  const table = await createTestTable();
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const quotas = new DynamoQuotaRepository(table.doc, table.tableName, options.quotaCacheMs ?? 0);
  for (const q of options.quotas ?? []) await quotas.put(q);
  const { clock } = options;
  const ids = ulidSource();
  const outbox = await relayedEvents(table, { ids, clock });
  const scheduling = new DynamoSchedulingSettings(table.doc, table.tableName, 0);
  const deps = {
    jobs,
    hardware,
    quotas,
    limits: { current: async () => options.limits },
    events: outbox.events,
    clock,
    ids,
    dispatch: outbox.dispatch,
    backends: ['local'] as const,
    retentionDays: 90,
    fairShare: new DynamoFairShareSource(table.doc, table.tableName, clock),
    scheduling,
  };
  return { table, jobs, hardware, quotas, clock, outbox, scheduling, deps };
}

/** Moves an admitted job to running at `at`, as the dispatcher would (admitted → starting → running). */
export async function startAsDispatcher(jobs: Pick<JobRepository, 'get' | 'save'>, job: Job, at: string): Promise<Job> {
  const starting = transition((await jobs.get(job.id))!, 'starting', at);
  await jobs.save(starting, 'admitted');
  const running = transition(starting, 'running', at, { startedAt: at, runRef: `local:${job.id}` });
  await jobs.save(running, 'starting');
  return running;
}
