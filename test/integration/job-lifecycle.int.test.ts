import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { LocalProcessBackend } from '#scripts/local/backend/local-process-backend';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { GLOBAL_CONCURRENCY, userConcurrency } from '#domain/quotas/concurrency';
import { cancelJob } from '#domain/job-flow/cancel-job.service';
import { handleDispatch } from '#domain/job-flow/dispatch.service';
import { applyRunReport, type RunReport } from '#domain/job-flow/run-status.service';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import type { Job } from '#domain/jobs/job.schema';
import { createTestTable } from '#test-support/integration-env';
import { researcher, spec, testRuntime } from '#test-support/job-fixtures';
import { relayedEvents } from '#test-support/outbox-relay';

async function setup(limits = { maxConcurrent: 3, userMaxConcurrent: 2 }) {
  const table = await createTestTable();
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const runtime = testRuntime();
  // As deployed: events and dispatch requests are outbox items, relayed from the table's stream.
  const outbox = await relayedEvents(table, runtime);
  const dispatch = outbox.dispatch;
  const ending = { jobs, events: outbox.events, clock: runtime.clock, ids: runtime.ids, retentionDays: 90 };
  const admission = {
    ...ending,
    quotas: { forOrg: async () => [] },
    limits: { current: async () => limits },
    scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
  };
  const submitDeps = { ...admission, hardware, backends: ['local'] as const };
  const schedulerDeps = {
    ...admission,
    dispatch,
    fairShare: new DynamoFairShareSource(table.doc, table.tableName),
    scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
  };
  return { table, jobs, hardware, outbox, ending, submitDeps, schedulerDeps };
}

describe('job lifecycle against DynamoDB Local', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    env = await setup();
  });

  it('admits a job at submission when nobody waits, with a waiting reason, timestamps and a dispatch', async () => {
    const { job, created } = await submitJob({ principal: researcher(), spec: spec() }, env.submitDeps);
    expect(created).toBe(true);
    const stored = await env.jobs.get(job.id);
    expect(stored?.state).toBe('admitted');
    expect(stored?.waiting?.code).toBe('dispatching');
    expect(stored?.history.map((h) => h.state)).toEqual(['submitted', 'queued', 'admitted']);
    expect(await env.outbox.dispatched()).toContainEqual({ action: 'launch', jobId: job.id });
    expect(stored?.estimatedCostUsd).toBe(0.5); // 30 min × $1.006/h, to the cent
    expect((await env.outbox.published()).some((e) => e.type === 'job.submitted' && e.data.jobId === job.id)).toBe(true);
  });

  it('returns the same job for a repeated Idempotency-Key and refuses the key with another spec', async () => {
    const principal = researcher('idem-user');
    const first = await submitJob({ principal, spec: spec(), idempotencyKey: 'key-1' }, env.submitDeps);
    const again = await submitJob({ principal, spec: spec(), idempotencyKey: 'key-1' }, env.submitDeps);
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(first.job.id);
    await expect(submitJob({ principal, spec: spec({ name: 'other' }), idempotencyKey: 'key-1' }, env.submitDeps)).rejects.toMatchObject({
      code: 'idempotency_conflict',
    });
    const listed = await env.jobs.listByOwner('acme', 'idem-user', { limit: 10 });
    expect(listed.items).toHaveLength(1);
  });

  it('refuses a secret reference outside the caller organization, writing nothing', async () => {
    const principal = researcher('secret-user');
    await expect(
      submitJob({ principal, spec: spec({ env: [{ name: 'HF_TOKEN', secretRef: 'quartermaster/other-org/hf' }] }) }, env.submitDeps),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await env.jobs.listByOwner('acme', 'secret-user', { limit: 10 })).items).toHaveLength(0);
  });

  it('pages an owner listing with a cursor and filters by state', async () => {
    const principal = researcher('pager');
    for (let i = 0; i < 5; i += 1) await submitJob({ principal, spec: spec({ name: `job-${i}` }) }, env.submitDeps);
    const first = await env.jobs.listByOwner('acme', 'pager', { limit: 2 });
    expect(first.items.map((j) => j.spec.name)).toEqual(['job-4', 'job-3']);
    const second = await env.jobs.listByOwner('acme', 'pager', { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
    expect(second.items.map((j) => j.spec.name)).toEqual(['job-2', 'job-1']);
    expect((await env.jobs.listByOwner('acme', 'pager', { limit: 10, state: 'running' })).items).toHaveLength(0);
    await expect(
      env.jobs.listByOwner('acme', 'someone-else', { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('admission under concurrency limits (DynamoDB Local transactions)', () => {
  it('admits exactly up to the global and per-user limits and explains why the rest wait', async () => {
    const env = await setup({ maxConcurrent: 3, userMaxConcurrent: 2 });
    const submitted: Job[] = [];
    for (const user of ['u1', 'u1', 'u1', 'u2', 'u3', 'u3']) {
      submitted.push((await submitJob({ principal: researcher(user), spec: spec() }, env.submitDeps)).job);
    }
    await runSchedulerPass(env.schedulerDeps);
    const states = await Promise.all(submitted.map(async (j) => (await env.jobs.get(j.id))?.state));
    expect(states.filter((state) => state === 'admitted')).toHaveLength(3);
    const counters = await env.jobs.readCounters([GLOBAL_CONCURRENCY, userConcurrency('acme', 'u1')]);
    expect(counters[GLOBAL_CONCURRENCY]).toBe(3);
    expect(counters[userConcurrency('acme', 'u1')]).toBe(2);
    const third = await env.jobs.get(submitted[2]!.id);
    expect(third?.state).toBe('queued');
    expect(third?.waiting?.code).toBe('user_concurrency');
    const last = await env.jobs.get(submitted[5]!.id);
    expect(last?.waiting?.code).toBe('global_concurrency');
    expect((await env.outbox.dispatched()).filter((m) => m.action === 'launch')).toHaveLength(3);
  });

  it('never admits more than the limit when submissions and scheduler passes race each other', async () => {
    const env = await setup({ maxConcurrent: 5, userMaxConcurrent: 100 });
    const submitted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submitJob({ principal: researcher(`racer-${i % 7}`), spec: spec() }, env.submitDeps)),
    );
    await Promise.all(Array.from({ length: 6 }, () => runSchedulerPass(env.schedulerDeps)));
    const states = await Promise.all(submitted.map(async ({ job }) => (await env.jobs.get(job.id))?.state));
    expect(states.filter((state) => state === 'admitted')).toHaveLength(5);
    expect(states.filter((state) => state === 'queued')).toHaveLength(15);
    const launches = (await env.outbox.dispatched()).filter((m) => m.action === 'launch').map((m) => m.jobId);
    expect(new Set(launches).size).toBe(5);
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(5);
  });
});

describe('dispatch and run reports (local backend, DynamoDB Local)', () => {
  it('launches once when the dispatch message is delivered twice, and releases counters once on duplicate end reports', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 });
    const reports: RunReport[] = [];
    const backend = new LocalProcessBackend(await mkdtemp(join(tmpdir(), 'qm-runs-')), (report) => reports.push(report));
    const dispatchDeps = { ...env.ending, hardware: env.hardware, backends: () => backend };
    const { job } = await submitJob(
      { principal: researcher('dup'), spec: spec({ command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] }) },
      env.submitDeps,
    );
    await runSchedulerPass(env.schedulerDeps);

    const outcomes = await Promise.all([
      handleDispatch({ action: 'launch', jobId: job.id }, dispatchDeps),
      handleDispatch({ action: 'launch', jobId: job.id }, dispatchDeps),
    ]);
    expect(outcomes.filter((o) => o === 'launched')).toHaveLength(1);
    await expect.poll(() => reports.length, { timeout: 5_000 }).toBe(1);
    const report = reports[0]!;
    await applyRunReport(report, env.ending);
    await applyRunReport(report, env.ending); // EventBridge may deliver twice
    const ended = await env.jobs.get(job.id);
    expect(ended?.state).toBe('failed');
    expect(ended?.exitCode).toBe(3);
    expect(ended?.history.map((h) => h.state)).toEqual(['submitted', 'queued', 'admitted', 'starting', 'running', 'failed']);
    const counters = await env.jobs.readCounters([GLOBAL_CONCURRENCY, userConcurrency('acme', 'dup')]);
    expect(counters).toEqual({ [GLOBAL_CONCURRENCY]: 0, [userConcurrency('acme', 'dup')]: 0 });
    const logs = await backend.read(ended!, { limit: 10 });
    expect(logs.lines.map((l) => `${l.stream}:${l.message}`).sort()).toEqual(['stderr:err', 'stdout:out']);
    expect((await env.outbox.published()).filter((e) => e.type === 'job.failed' && e.data.jobId === job.id)).toHaveLength(1);
  });

  it('cancels a running job: releases counters, stops the run, and a late end report changes nothing', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 });
    const reports: RunReport[] = [];
    const backend = new LocalProcessBackend(await mkdtemp(join(tmpdir(), 'qm-runs-')), (report) => reports.push(report));
    const dispatchDeps = { ...env.ending, hardware: env.hardware, backends: () => backend };
    const principal = researcher('canceller');
    const { job } = await submitJob({ principal, spec: spec({ command: ['sleep', '30'] }) }, env.submitDeps);
    await runSchedulerPass(env.schedulerDeps);
    await handleDispatch({ action: 'launch', jobId: job.id }, dispatchDeps);
    expect((await env.jobs.get(job.id))?.state).toBe('running');

    const cancelled = await cancelJob(principal, job.id, env.ending);
    expect(cancelled.state).toBe('cancelled');
    const stop = (await env.outbox.dispatched()).find((m) => m.action === 'stop' && m.jobId === job.id);
    expect(stop).toBeDefined();
    await handleDispatch(stop!, dispatchDeps);
    await expect.poll(() => reports.length, { timeout: 5_000 }).toBe(1);
    await applyRunReport(reports[0]!, env.ending);
    expect((await env.jobs.get(job.id))?.state).toBe('cancelled');
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(0);
    await expect(cancelJob(principal, job.id, env.ending)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it("hides other users' jobs as not found and refuses a viewer's cancel", async () => {
    const env = await setup();
    const { job } = await submitJob({ principal: researcher('owner-1'), spec: spec() }, env.submitDeps);
    await expect(cancelJob(researcher('stranger', { teamIds: [] }), job.id, env.ending)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(cancelJob(researcher('owner-1', { level: 'viewer' }), job.id, env.ending)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
