import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTasksCommand, ECSClient, type TaskStopCode } from '@aws-sdk/client-ecs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { EcsRunObserver } from '#adapters/ecs/ecs-run-observer.client';
import type { RunObserver } from '#domain/jobs/jobs.port';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/concurrency';
import { handleDispatch } from '#domain/job-flow/dispatch.service';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job, JobSpecInput } from '#domain/jobs/job.schema';
import type { RunReport } from '#domain/job-flow/run-status.service';
import { applyRunReport } from '#domain/job-flow/run-status.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { dailyUsageCounter } from '#domain/quotas/counters';
import { composeReconciler } from '#functions/reconciler/reconciler.app';
import { LocalProcessBackend } from '#scripts/local/backend/local-process-backend';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { createTestTable } from '#test-support/integration-env';
import { researcher, spec, testRuntime } from '#test-support/job-fixtures';

/**
 * The reconciler repairs a job whose completion report was lost entirely, from the backend's truth: the local
 * backend's exit file (real subprocesses), and ECS DescribeTasks (ECS stand-in: aws-sdk-client-mock, as in
 * ecs-fleet-dispatch.int.test.ts; no ECS runs here). Jobs, counters and usage are real DynamoDB Local; the
 * reconciler is built by its one composition (`composeReconciler`), as Lambda and the local stack build it.
 */
const ecsMock = mockClient(ECSClient);
const CLUSTER = 'arn:aws:ecs:us-east-1:111122223333:cluster/quartermaster-local';
const taskArn = (n: number) => `arn:aws:ecs:us-east-1:111122223333:task/quartermaster-local/${String(n).padStart(32, '0')}`;
const runsDirs: string[] = [];

afterAll(async () => {
  for (const dir of runsDirs) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => ecsMock.reset());

async function world() {
  const table = await createTestTable();
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const runtime = testRuntime();
  const ending = { jobs, events: runtime.events, clock: runtime.clock, ids: runtime.ids, retentionDays: 90 };
  const runsDir = await mkdtemp(join(tmpdir(), 'qm-reconciler-runs-'));
  runsDirs.push(runsDir);
  // Every report the local backend sends is dropped: the completion is lost entirely.
  const dropped: RunReport[] = [];
  const local = new LocalProcessBackend(runsDir, (report) => void dropped.push(report));
  const submit = async (backend: 'local' | 'ecs', overrides: Partial<JobSpecInput> = {}) =>
    (
      await submitJob(
        { principal: researcher(), spec: spec(overrides) },
        {
          ...ending,
          hardware,
          quotas: { forOrg: async () => [] },
          scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
          limits: { current: async () => ({ maxConcurrent: 100, userMaxConcurrent: 100 }) },
          backends: [backend],
        },
      )
    ).job;
  /** The reconciler of this table, reading the given backends: its one composition, as Lambda and the local stack build it. */
  const reconcilerFor = (observers: Partial<Record<Job['backend'], RunObserver>>) =>
    composeReconciler(
      { QM_TABLE_NAME: table.tableName, QM_JOB_RETENTION_DAYS: 90 },
      { doc: table.doc, events: runtime.events, clock: runtime.clock, ids: runtime.ids, observers },
    );
  const jobsDone = async (day: string) => {
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: keys.counter(dailyUsageCounter({ type: 'user', orgId: 'acme', id: 'rae' }, day)) }),
    );
    return Number(Item?.jobs ?? 0);
  };
  const concurrency = async () => (await jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY];
  return { jobs, hardware, ending, local, dropped, submit, reconcilerFor, jobsDone, concurrency };
}

describe('reconciler: local backend (real subprocesses, the exit file is the truth)', () => {
  it('ends a job whose completion report was lost with its true outcome, once, and a late report changes nothing', async () => {
    const w = await world();
    const local = w.local;
    const reconcile = w.reconcilerFor({ local });
    const ok = await w.submit('local', { command: ['sh', '-c', 'echo done'] });
    const bad = await w.submit('local', { command: ['sh', '-c', 'exit 3'] });
    for (const job of [ok, bad])
      expect(await handleDispatch({ action: 'launch', jobId: job.id }, { ...w.ending, hardware: w.hardware, backends: () => local })).toBe(
        'launched',
      );
    expect(await w.concurrency()).toBe(2);
    // Both processes end; their reports are lost, so the table still says running.
    for (let i = 0; i < 100 && w.dropped.length < 2; i++) await sleep(50);
    expect(w.dropped.filter((report) => report.status === 'ended')).toHaveLength(2);
    expect((await w.jobs.get(ok.id))?.state).toBe('running');

    const summary = await reconcile();
    expect(summary).toMatchObject({ checked: 2, unobserved: 0 });
    expect([...summary.repaired].sort()).toEqual([ok.id, bad.id].sort());
    const succeeded = await w.jobs.get(ok.id);
    expect(succeeded).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await w.jobs.get(bad.id)).toMatchObject({ state: 'failed', exitCode: 3, stateReason: 'Exited with code 3' });
    expect(await w.concurrency()).toBe(0);
    const day = String(succeeded?.updatedAt).slice(0, 10);
    expect(await w.jobsDone(day)).toBe(2);

    // The lost reports arrive after all, and a second pass runs: nothing is released or counted twice.
    for (const report of w.dropped) expect(await applyRunReport(report, w.ending)).toBeUndefined();
    expect(await reconcile()).toMatchObject({ checked: 0, repaired: [] });
    expect((await w.jobs.get(ok.id))?.version).toBe(succeeded?.version);
    expect(await w.concurrency()).toBe(0);
    expect(await w.jobsDone(day)).toBe(2);
  });

  it('leaves a job that still runs alone, and fails a running job whose run left no trace', async () => {
    const w = await world();
    const local = w.local;
    const reconcile = w.reconcilerFor({ local });
    const long = await w.submit('local', { command: ['sh', '-c', 'sleep 30'] });
    await handleDispatch({ action: 'launch', jobId: long.id }, { ...w.ending, hardware: w.hardware, backends: () => local });
    // A job the table says runs, with no run folder at all (the stack lost its runs directory).
    const ghost = await w.submit('local');
    const at = new Date().toISOString();
    const starting = await w.jobs.save(transition(ghost, 'starting', at), 'admitted');
    if (!starting.ok) throw new Error('could not start the ghost job');
    expect((await applyRunReport({ jobId: ghost.id, runRef: `local:${ghost.id}`, status: 'running' }, w.ending))?.state).toBe('running');

    const summary = await reconcile();
    expect(summary.repaired).toEqual([ghost.id]);
    expect((await w.jobs.get(long.id))?.state).toBe('running');
    expect(await w.jobs.get(ghost.id)).toMatchObject({
      state: 'failed',
      stateReason: 'The run ended without an exit record (the local stack stopped while it ran)',
    });
    await local.stop({ ...long, runRef: `local:${long.id}` }, 'test over');
  });
});

describe('reconciler: ECS (ECS stand-in: aws-sdk-client-mock answering DescribeTasks; DynamoDB Local)', () => {
  /** An ECS job the table calls `running` (or `starting`, waiting for capacity) on task `task`. */
  async function ecsJob(w: Awaited<ReturnType<typeof world>>, task: string, state: 'running' | 'starting' = 'running') {
    const job = await w.submit('ecs');
    const at = new Date().toISOString();
    const saved = await w.jobs.save({ ...transition(job, 'starting', at), runRef: task }, 'admitted');
    if (!saved.ok) throw new Error('could not start the job');
    if (state === 'running') await applyRunReport({ jobId: job.id, runRef: task, status: 'running' }, w.ending);
    return job;
  }
  const stopped = (jobId: string, task: string, containers: { name: string; exitCode?: number }[], stopCode: TaskStopCode) => ({
    taskArn: task,
    lastStatus: 'STOPPED',
    startedBy: `qm-${jobId}`,
    stopCode,
    stoppedReason: stopCode === 'EssentialContainerExited' ? 'Essential container in task exited' : 'Your Spot Task was interrupted.',
    containers,
  });

  it('repairs lost ends (exit 0 → succeeded, exit 137 → failed), a gone task, and a lost RUNNING; leaves running tasks alone', async () => {
    const observer = new EcsRunObserver({ ecs: new ECSClient({ region: 'us-east-1' }), clusterArn: CLUSTER });
    const w = await world();
    const reconcile = w.reconcilerFor({ ecs: observer });
    const ok = await ecsJob(w, taskArn(1));
    const oom = await ecsJob(w, taskArn(2));
    const gone = await ecsJob(w, taskArn(3));
    const alive = await ecsJob(w, taskArn(4));
    const scaledUp = await ecsJob(w, taskArn(5), 'starting');
    const answers: Record<string, object> = {
      [taskArn(1)]: { tasks: [stopped(ok.id, taskArn(1), [{ name: 'job', exitCode: 0 }], 'EssentialContainerExited')] },
      [taskArn(2)]: { tasks: [stopped(oom.id, taskArn(2), [{ name: 'job', exitCode: 137 }], 'EssentialContainerExited')] },
      [taskArn(3)]: { tasks: [], failures: [{ arn: taskArn(3), reason: 'MISSING' }] },
      [taskArn(4)]: { tasks: [{ taskArn: taskArn(4), lastStatus: 'RUNNING', startedBy: `qm-${alive.id}`, containers: [] }] },
      [taskArn(5)]: { tasks: [{ taskArn: taskArn(5), lastStatus: 'RUNNING', startedBy: `qm-${scaledUp.id}`, containers: [] }] },
    };
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => answers[input.tasks?.[0] ?? ''] ?? {});
    expect(await w.concurrency()).toBe(5);

    const summary = await reconcile();
    expect(summary.checked).toBe(5);
    expect([...summary.repaired].sort()).toEqual([ok.id, oom.id, gone.id, scaledUp.id].sort());
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: CLUSTER });
    expect(await w.jobs.get(ok.id)).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await w.jobs.get(oom.id)).toMatchObject({ state: 'failed', exitCode: 137, stateReason: 'Essential container in task exited' });
    expect(await w.jobs.get(gone.id)).toMatchObject({
      state: 'failed',
      stateReason: 'The ECS task no longer exists and its outcome was never reported',
    });
    expect((await w.jobs.get(alive.id))?.state).toBe('running');
    expect((await w.jobs.get(scaledUp.id))?.state).toBe('running');
    expect(await w.concurrency()).toBe(2);

    // The state change events arrive late: nothing moves, nothing is released twice.
    const late = await applyRunReport({ jobId: ok.id, runRef: taskArn(1), status: 'ended', exitCode: 0 }, w.ending);
    expect(late).toBeUndefined();
    expect(await w.concurrency()).toBe(2);
  });

  it('queues a job again whose Spot task was reclaimed while its event was lost, as the event would have', async () => {
    const observer = new EcsRunObserver({ ecs: new ECSClient({ region: 'us-east-1' }), clusterArn: CLUSTER });
    const w = await world();
    const reconcile = w.reconcilerFor({ ecs: observer });
    const job = await ecsJob(w, taskArn(6));
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [stopped(job.id, taskArn(6), [{ name: 'job' }], 'SpotInterruption')] });
    expect((await reconcile()).repaired).toEqual([job.id]);
    expect(await w.jobs.get(job.id)).toMatchObject({ state: 'queued', spotInterruptions: 1 });
    expect(await w.concurrency()).toBe(0);
  });
});
