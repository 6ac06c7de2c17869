import { describe, expect, it } from 'vitest';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/concurrency';
import { cancelJob } from '#domain/job-flow/cancel-job.service';
import { endJob } from '#domain/job-flow/job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import type { Quota } from '#domain/quotas/quota.schema';
import { DEFAULT_SCHEDULING } from '#domain/scheduling/scheduling-settings';
import { queueDepth } from '#domain/quotas/counters';
import { migrateToOrgQueueDepth } from '#scripts/migrate/org-queue-depth';
import { migrateToGlobalShards } from '#scripts/migrate/global-concurrency-shards';
import { migrateToJobStateShards } from '#scripts/migrate/job-state-shards';
import { GLOBAL_SHARD_COUNTERS, globalShard, homeShard, isGlobalShard } from '#domain/quotas/global-shards';
import * as keys from '#adapters/dynamodb/table-keys';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTestTable } from '#test-support/integration-env';
import { manualClock, researcher, spec } from '#test-support/job-fixtures';
import { quota } from '#test-support/quota-fixtures';
import { admissionWorld, startAsDispatcher } from '#test-support/admission-world';

async function setup(limits: { maxConcurrent: number; userMaxConcurrent: number }, quotaList: Quota[] = []) {
  const world = await admissionWorld({ limits, quotas: quotaList, clock: manualClock('2026-12-06T09:00:00.000Z') });
  const { jobs, deps, clock, outbox, scheduling, table } = world;
  const run = (job: Job): Promise<Job> => startAsDispatcher(jobs, job, clock.now().toISOString());
  return { jobs, deps, clock, outbox, scheduling, run, table };
}

const visionUser = (id: string) => researcher(id, { teamIds: ['vision'] });
const roboticsUser = (id: string) => researcher(id, { teamIds: ['robotics'] });

describe('scheduler order: fair share, per-limit order, pause (DynamoDB Local)', () => {
  it('admits the team with less recent GPU usage first, though its job came later', async () => {
    const env = await setup({ maxConcurrent: 1, userMaxConcurrent: 10 });
    const history = await env.run(
      (await submitJob({ principal: visionUser('vic'), spec: spec({ maxRuntimeMinutes: 600 }) }, env.deps)).job,
    );
    env.clock.advance(3 * 3_600_000);
    await endJob(history, 'succeeded', { exitCode: 0 }, env.deps); // vision: 3 GPU-hours today

    const blocker = (await submitJob({ principal: roboticsUser('rob'), spec: spec() }, env.deps)).job;
    const vision = (await submitJob({ principal: visionUser('vic'), spec: spec() }, env.deps)).job;
    env.clock.advance(60_000);
    const robotics = (await submitJob({ principal: roboticsUser('rio'), spec: spec() }, env.deps)).job;
    expect([vision.state, robotics.state]).toEqual(['queued', 'queued']);

    await endJob((await env.jobs.get(blocker.id))!, 'cancelled', {}, env.deps);
    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([robotics.id]);
    expect((await env.jobs.get(vision.id))?.waiting).toMatchObject({ code: 'global_concurrency', position: 1, limitPosition: 1 });
  });

  it('keeps order within a limit: a small job does not overtake a large one held by the same quota', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 }, [
      quota({ metric: 'concurrent_gpus', scopeType: 'team', scopeId: 'vision', limit: 8 }),
    ]);
    const running = (await submitJob({ principal: visionUser('vic'), spec: spec({ hardwareType: 'gpu-a100-8x' }) }, env.deps)).job;
    expect(running.state).toBe('admitted');
    const large = (await submitJob({ principal: visionUser('val'), spec: spec({ hardwareType: 'gpu-a100-8x' }) }, env.deps)).job;
    env.clock.advance(1_000);
    const small = (await submitJob({ principal: visionUser('vin'), spec: spec() }, env.deps)).job;
    const other = (await submitJob({ principal: roboticsUser('rob'), spec: spec() }, env.deps)).job;

    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([other.id]); // another limit: goes ahead
    expect((await env.jobs.get(large.id))?.waiting).toMatchObject({ code: 'quota_full', position: 1, limitPosition: 1 });
    expect((await env.jobs.get(small.id))?.waiting).toMatchObject({ code: 'quota_full', position: 2, limitPosition: 2 });

    await endJob((await env.jobs.get(running.id))!, 'cancelled', {}, env.deps);
    expect((await runSchedulerPass(env.deps)).admitted).toEqual([large.id]);
  });

  it('holds an org’s jobs while its admission is paused, with the reason, and admits them on resume', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 });
    const first = (await submitJob({ principal: visionUser('vic'), spec: spec() }, env.deps)).job;
    expect(first.state).toBe('admitted');
    await env.scheduling.put('acme', { ...DEFAULT_SCHEDULING, paused: true });
    const queued = (await submitJob({ principal: visionUser('val'), spec: spec() }, env.deps)).job;
    const queuedToo = (await submitJob({ principal: visionUser('vin'), spec: spec() }, env.deps)).job;
    expect(queued.state).toBe('queued');
    expect((await runSchedulerPass(env.deps)).admitted).toEqual([]);
    expect((await env.jobs.get(queuedToo.id))?.waiting).toMatchObject({ code: 'queue_paused', position: 2 });

    await env.scheduling.put('acme', { ...DEFAULT_SCHEDULING, pausedBackends: ['ecs'] }); // not this job's backend
    expect((await runSchedulerPass(env.deps)).admitted).toEqual([queued.id, queuedToo.id]);
  });

  it('stays correct under concurrent submissions, cancellations and passes: none skipped, none admitted twice', async () => {
    const env = await setup({ maxConcurrent: 8, userMaxConcurrent: 100 });
    const filler = await Promise.all(
      Array.from({ length: 8 }, (_, i) => submitJob({ principal: roboticsUser(`f${i}`), spec: spec() }, env.deps)),
    );
    const submissions = Array.from({ length: 30 }, (_, i) =>
      submitJob({ principal: i % 2 ? visionUser(`v${i % 5}`) : roboticsUser(`r${i % 4}`), spec: spec() }, env.deps),
    );
    const submitted = (await Promise.all(submissions)).map((r) => r.job);
    const cancelled = submitted.filter((_, i) => i % 4 === 0);
    const freed = filler.slice(0, 5).map((r) => r.job);
    await Promise.all([
      ...cancelled.map((job) => cancelJob(researcher(job.ownerId, { teamIds: [job.teamId!] }), job.id, env.deps)),
      ...freed.map(async (job) => endJob((await env.jobs.get(job.id))!, 'cancelled', {}, env.deps)),
      ...Array.from({ length: 4 }, () => runSchedulerPass(env.deps)),
    ]);
    await runSchedulerPass(env.deps);

    const states = await Promise.all(submitted.map(async (job) => (await env.jobs.get(job.id))!.state));
    const admitted = submitted.filter((_, i) => states[i] === 'admitted').map((j) => j.id);
    expect(cancelled.every((job) => states[submitted.indexOf(job)] === 'cancelled')).toBe(true);
    expect(admitted).toHaveLength(5); // exactly the room the five ended fillers freed
    const launches = (await env.outbox.dispatched()).filter((m) => m.action === 'launch').map((m) => m.jobId);
    expect(new Set(launches).size).toBe(launches.length); // nothing launched twice
    expect(admitted.every((id) => launches.includes(id))).toBe(true);
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(8);
    // Nobody skipped: every job still queued says why, and the queue is full only because the limit is.
    const waiting = await Promise.all(
      submitted.filter((_, i) => states[i] === 'queued').map(async (j) => (await env.jobs.get(j.id))!.waiting),
    );
    expect(waiting.every((w) => w?.code === 'global_concurrency')).toBe(true);
    expect(waiting.map((w) => w?.position).sort((a, b) => a! - b!)).toEqual(waiting.map((_, i) => i + 1));
  }, 120_000); // ~900 requests on one emulator: 3.5 s on a quiet machine, 9 s at load 26; the 30 s default ran out at load ~35

  it('admits in batches exactly what one by one would: a quota filling inside a batch, a job cancelled under the pass', async () => {
    const env = await setup({ maxConcurrent: 100, userMaxConcurrent: 10 }, [
      quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 7 }),
    ]);
    await env.scheduling.put('acme', { ...DEFAULT_SCHEDULING, paused: true });
    const submit = async (principal: ReturnType<typeof visionUser>) => {
      env.clock.advance(1_000);
      return (await submitJob({ principal, spec: spec() }, env.deps)).job;
    };
    const vision: Job[] = [];
    for (let i = 0; i < 20; i += 1) vision.push(await submit(visionUser(`v${i}`)));
    const robotics: Job[] = [];
    for (let i = 0; i < 5; i += 1) robotics.push(await submit(roboticsUser(`r${i}`)));
    await env.scheduling.put('acme', DEFAULT_SCHEDULING);
    // The first batch transaction finds vision's third job cancelled: nothing of it is written.
    let batches = 0;
    const jobs = Object.create(env.jobs) as typeof env.jobs;
    jobs.saveAll = async (...args) => {
      batches += 1;
      if (batches === 1) await cancelJob(visionUser('v2'), vision[2]!.id, env.deps);
      return env.jobs.saveAll(...args);
    };

    const pass = await runSchedulerPass({ ...env.deps, jobs });
    const expected = [...[0, 1, 3, 4, 5, 6, 7].map((i) => vision[i]!.id), ...robotics.map((j) => j.id)];
    expect(pass.admitted).toEqual(expected);
    expect(batches).toBeGreaterThan(1);
    const rest = await Promise.all(vision.slice(8).map(async (job) => (await env.jobs.get(job.id))!.waiting));
    expect(rest.map((w) => [w?.code, w?.limitPosition])).toEqual(rest.map((_, i) => ['quota_full', i + 1]));
    const counters = await env.jobs.readCounters(['concurrent_jobs:ORG#acme#TEAM#vision', queueDepth('acme'), GLOBAL_CONCURRENCY]);
    expect(counters).toEqual({ 'concurrent_jobs:ORG#acme#TEAM#vision': 7, [queueDepth('acme')]: 12, [GLOBAL_CONCURRENCY]: 12 });
    expect(new Set((await env.outbox.dispatched()).map((m) => m.jobId))).toEqual(new Set(expected));
  });

  it('bypass (job.bypass.queue): skips the queue and the global limit, at submission and in the pass, never a blocking quota', async () => {
    const env = await setup({ maxConcurrent: 1, userMaxConcurrent: 10 }, [
      quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 2 }),
    ]);
    const boss = researcher('boss', { level: 'admin', teamIds: ['vision'] });
    expect((await submitJob({ principal: roboticsUser('rob'), spec: spec() }, env.deps)).job.state).toBe('admitted');
    const behind = (await submitJob({ principal: roboticsUser('rio'), spec: spec() }, env.deps)).job;
    expect(behind.waiting?.code).toBe('global_concurrency');

    // Past a waiting job and over the full global limit: admitted at once, counted on the global limit.
    const first = (await submitJob({ principal: boss, spec: spec() }, env.deps)).job;
    expect(first.state).toBe('admitted');
    expect(first.holds.some((hold) => isGlobalShard(hold.counter))).toBe(true);
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(2);
    expect((await submitJob({ principal: boss, spec: spec() }, env.deps)).job.state).toBe('admitted'); // vision 2 of 2
    const held = (await submitJob({ principal: boss, spec: spec() }, env.deps)).job;
    expect(held.waiting).toMatchObject({ code: 'quota_full' }); // the team quota binds bypass holders too

    // In the pass: the bypass job is first in order, still held by its quota; nobody else passes the global limit.
    await endJob((await env.jobs.get(first.id))!, 'cancelled', {}, env.deps);
    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([held.id]); // vision has room again; global is still over (2 of 1) for others
    expect((await env.jobs.get(behind.id))!.waiting).toMatchObject({ code: 'global_concurrency', position: 1 });
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(3);
  });

  it("queues per org: one org's waiting job does not send another org's new jobs to the queue", async () => {
    const env = await setup({ maxConcurrent: 100, userMaxConcurrent: 100 }, [
      quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 1 }),
    ]);
    await submitJob({ principal: visionUser('vic'), spec: spec() }, env.deps);
    const waiting = (await submitJob({ principal: visionUser('val'), spec: spec() }, env.deps)).job;
    expect(waiting.waiting?.code).toBe('quota_full');
    const acmeOther = (await submitJob({ principal: roboticsUser('rob'), spec: spec() }, env.deps)).job;
    expect(acmeOther.waiting?.code).toBe('queue_position'); // same org: behind the waiting job, never ahead
    const globex = (await submitJob({ principal: researcher('gia', { orgId: 'globex' }), spec: spec() }, env.deps)).job;
    expect(globex.state).toBe('admitted'); // another org: its queue is empty
    const depths = await env.jobs.readCounters([queueDepth('acme'), queueDepth('globex')]);
    expect(depths).toEqual({ [queueDepth('acme')]: 2, [queueDepth('globex')]: 0 });
  });
});

describe('migration to per-org queue depth (DynamoDB Local)', () => {
  it('sets each org’s depth to its queued jobs, drops the deployment-wide item, and runs once', async () => {
    const table = await createTestTable();
    const jobs = new DynamoJobRepository(table.doc, table.tableName);
    const queued = (id: string, orgId: string): Job => ({
      schemaVersion: 1,
      id,
      orgId,
      ownerId: 'u',
      spec: spec(),
      backend: 'local',
      state: 'queued',
      priorityClass: 20,
      estimatedCostUsd: 1,
      gpuCount: 1,
      createdAt: '2026-12-06T09:00:00.000Z',
      updatedAt: '2026-12-06T09:00:00.000Z',
      history: [{ state: 'queued', at: '2026-12-06T09:00:00.000Z' }],
      holds: [],
      version: 1,
    });
    for (const [id, org] of [
      ['01JQ0000000000000000000001', 'acme'],
      ['01JQ0000000000000000000002', 'acme'],
      ['01JQ0000000000000000000003', 'globex'],
    ]) {
      await jobs.create(queued(id!, org!));
    }
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.counter('queue:depth'), value: 3 } }));
    await legacyStateIndex(table); // as it was then: one state-index partition
    expect(await migrateToOrgQueueDepth(table.doc, table.tableName)).toEqual({ skipped: false, orgs: 2 });
    expect(await jobs.readCounters([queueDepth('acme'), queueDepth('globex'), 'queue:depth'])).toEqual({
      [queueDepth('acme')]: 2,
      [queueDepth('globex')]: 1,
      'queue:depth': 0,
    });
    expect(await migrateToOrgQueueDepth(table.doc, table.tableName)).toMatchObject({ skipped: true });
  });
});

describe('migration to global concurrency shards (DynamoDB Local)', () => {
  it('moves each live job’s legacy global hold to its home shard with its amount, drops the item, and runs once', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 });
    const { doc, tableName } = env.table;
    const live = await Promise.all(
      ['ada', 'bob', 'cyd', 'dan'].map(async (u) => (await submitJob({ principal: visionUser(u), spec: spec() }, env.deps)).job),
    );
    await env.run(live[0]!);
    // As written before the shards: every hold names `concurrency:global`, whose one item counts them all.
    for (const job of live) {
      const stored = (await env.jobs.get(job.id))!;
      const holds = stored.holds.map((hold) => (isGlobalShard(hold.counter) ? { ...hold, counter: GLOBAL_CONCURRENCY } : hold));
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.job(job.id),
          UpdateExpression: 'SET holds = :h',
          ExpressionAttributeValues: { ':h': holds },
        }),
      );
    }
    for (const counter of GLOBAL_SHARD_COUNTERS)
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.counter(counter), value: 0 } }));
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.counter(GLOBAL_CONCURRENCY), value: 4 } }));

    expect(await migrateToGlobalShards(doc, tableName)).toEqual({ skipped: false, jobsMoved: 4, legacyLeft: 0 });
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(4);
    for (const job of live) {
      expect((await env.jobs.get(job.id))!.holds.map((h) => h.counter)).toContain(globalShard(homeShard(job.id)));
    }
    expect((await doc.send(new GetCommand({ TableName: tableName, Key: keys.counter(GLOBAL_CONCURRENCY) }))).Item).toBeUndefined();

    // The migrated holds are released into the shards: all back to zero.
    for (const job of live) await endJob((await env.jobs.get(job.id))!, 'cancelled', {}, env.deps);
    expect(Object.values(await env.jobs.readCounters(GLOBAL_SHARD_COUNTERS)).every((v) => v === 0)).toBe(true);
    expect(await migrateToGlobalShards(doc, tableName)).toMatchObject({ skipped: true });
  });
});

/** Puts every job's state-index key back to the one partition per state used before the shards. */
async function legacyStateIndex(table: { doc: DynamoDBDocumentClient; tableName: string }): Promise<void> {
  const scan = await table.doc.send(new ScanCommand({ TableName: table.tableName, FilterExpression: 'attribute_exists(gsi2pk)' }));
  for (const item of scan.Items ?? []) {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: String(item.pk), sk: String(item.sk) },
        UpdateExpression: 'SET gsi2pk = :p',
        ExpressionAttributeValues: { ':p': keys.legacyJobStatePartition(item.state as Job['state']) },
      }),
    );
  }
}

describe('state index shards (DynamoDB Local)', () => {
  it('lists a state over its shards in scheduling order, page by page, each job once', async () => {
    const env = await setup({ maxConcurrent: 100, userMaxConcurrent: 100 });
    await env.scheduling.put('acme', { ...DEFAULT_SCHEDULING, paused: true });
    const queued: Job[] = [];
    for (let i = 0; i < 23; i += 1) {
      env.clock.advance(1_000);
      queued.push((await submitJob({ principal: visionUser(`u${i}`), spec: spec() }, env.deps)).job);
    }
    const shards = new Set(queued.map((job) => keys.jobStateShard(job.id)));
    expect(shards.size).toBeGreaterThan(1);
    for (const limit of [1, 5, 7, 50]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await env.jobs.listByState('queued', { limit, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((job) => job.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(queued.map((job) => job.id)); // same priority: submission order
    }
    await expect(env.jobs.listByState('queued', { limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('migration moves every non-terminal job from the one partition per state to its shard, once', async () => {
    const env = await setup({ maxConcurrent: 2, userMaxConcurrent: 100 });
    const jobs = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (u) => (await submitJob({ principal: visionUser(u), spec: spec() }, env.deps)).job),
    );
    await legacyStateIndex(env.table);
    expect((await env.jobs.listByState('queued', { limit: 10 })).items).toHaveLength(0); // invisible until migrated
    expect(await migrateToJobStateShards(env.table.doc, env.table.tableName)).toEqual({ skipped: false, jobs: 4 });
    expect((await env.jobs.listByState('queued', { limit: 10 })).items.map((j) => j.id).sort()).toEqual(
      jobs
        .filter((j) => j.state === 'queued')
        .map((j) => j.id)
        .sort(),
    );
    expect((await env.jobs.listByState('admitted', { limit: 10 })).items).toHaveLength(2);
    expect(await migrateToJobStateShards(env.table.doc, env.table.tableName)).toMatchObject({ skipped: true });
  });
});
