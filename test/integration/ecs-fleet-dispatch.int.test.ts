import { readFileSync } from 'node:fs';
import { DescribeTaskDefinitionCommand, ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { EcsJobBackend } from '#adapters/ecs/ecs-job-backend.client';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/concurrency';
import { handleDispatch } from '#domain/job-flow/dispatch.service';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { createStatusHandler } from '#functions/events/status/status.app';
import { DEMO_FLEETS, DEMO_HARDWARE } from '#scripts/local/seed';
import { createTestTable } from '#test-support/integration-env';
import { manualClock, researcher, spec, testRuntime } from '#test-support/job-fixtures';
import { relayedEvents } from '#test-support/outbox-relay';

// ECS is a stand-in (aws-sdk-client-mock): no ECS runs here. Jobs, counters and fleets are real DynamoDB Local.
const ecsMock = mockClient(ECSClient);
const FIXTURES = new URL('../fixtures/ecs-task-state-change/', import.meta.url);
const CLUSTER = 'arn:aws:ecs:us-east-1:111122223333:cluster/quartermaster-local';
const taskArn = (n: number) => `arn:aws:ecs:us-east-1:111122223333:task/quartermaster-local/${String(n).padStart(32, '0')}`;

/** A fixture event re-addressed to our job and task. */
function fixture(name: string, jobId: string, task: string): EventBridgeEvent<'ECS Task State Change', unknown> {
  const event = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as EventBridgeEvent<
    'ECS Task State Change',
    Record<string, unknown>
  >;
  event.detail = { ...event.detail, startedBy: `qm-${jobId}`, taskArn: task, clusterArn: CLUSTER };
  return event;
}

async function setup() {
  const table = await createTestTable();
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const fleets = new DynamoFleetDirectory(table.doc, table.tableName);
  for (const fleet of DEMO_FLEETS) await fleets.put(fleet);
  const clock = manualClock(new Date().toISOString());
  const runtime = testRuntime();
  // As deployed: events and dispatch requests are outbox items, relayed from the table's stream.
  const outbox = await relayedEvents(table, { ids: runtime.ids, clock });
  const ending = { jobs, events: outbox.events, clock, ids: runtime.ids, retentionDays: 90 };
  const admission = {
    ...ending,
    quotas: { forOrg: async () => [] },
    limits: { current: async () => ({ maxConcurrent: 10, userMaxConcurrent: 10 }) },
    scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
  };
  const backend = new EcsJobBackend({
    ecs: new ECSClient({ region: 'us-east-1' }),
    fleets,
    clusterArn: CLUSTER,
    subnetIds: ['subnet-a'],
    securityGroupId: 'sg-jobs',
    executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
    taskRoleArn: 'arn:aws:iam::111122223333:role/task',
    logGroup: '/quartermaster/jobs',
    region: 'us-east-1',
    now: () => clock.now(),
  });
  const dispatchDeps = { ...ending, hardware, backends: () => backend };
  const status = createStatusHandler(ending);
  const submit = async (hardwareType: string) =>
    (
      await submitJob(
        { principal: researcher('spot-user'), spec: spec({ hardwareType }) },
        { ...admission, hardware, backends: ['ecs'] as const },
      )
    ).job;
  const fairShare = new DynamoFairShareSource(table.doc, table.tableName);
  const schedule = () => runSchedulerPass({ ...admission, dispatch: outbox.dispatch, fairShare });
  return { jobs, clock, outbox, dispatchDeps, status, submit, schedule };
}

const runTaskInputs = () => ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input);

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:td/qm-x:1', status: 'ACTIVE' } });
  ecsMock.on(StopTaskCommand).resolves({});
});

describe('ECS fleets: Spot interruption requeues once, then On-Demand (ECS stand-in: aws-sdk-client-mock; DynamoDB Local)', () => {
  it('queues the job again with the reason shown, relaunches it On-Demand, and fails it on a second loss', async () => {
    const env = await setup();
    ecsMock
      .on(RunTaskCommand)
      .resolvesOnce({ tasks: [{ taskArn: taskArn(1), lastStatus: 'PENDING' }] })
      .resolvesOnce({
        tasks: [{ taskArn: taskArn(2), lastStatus: 'PENDING' }],
      });
    const job = await env.submit('gpu-a10g-1x');
    expect(await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps)).toBe('launched');
    expect(runTaskInputs()[0]).toMatchObject({
      clientToken: job.id,
      capacityProviderStrategy: [{ capacityProvider: 'qm-local-g5-spot', weight: 1 }],
    });
    expect((await env.jobs.get(job.id))?.ecsPlacement).toEqual({
      fleet: 'g5',
      purchase: 'spot',
      instanceType: 'g5.xlarge',
      onDemandFallback: true,
    });

    await env.status(fixture('spot-interruption', job.id, taskArn(1)));
    const requeued = await env.jobs.get(job.id);
    expect(requeued?.state).toBe('queued');
    expect(requeued?.stateReason).toBe(
      'Queued again (once) on fleet "g5" (Spot): Your Spot Task was interrupted.; its next launch buys On-Demand',
    );
    expect(requeued?.runRef).toBeUndefined();
    expect(requeued?.holds).toEqual([]);
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(0);

    // A late duplicate of the interruption changes nothing.
    await env.status(fixture('spot-interruption', job.id, taskArn(1)));
    expect((await env.jobs.get(job.id))?.version).toBe(requeued?.version);

    await env.schedule();
    expect(await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps)).toBe('launched');
    expect(runTaskInputs()[1]).toMatchObject({
      clientToken: `${job.id}-1`,
      capacityProviderStrategy: [{ capacityProvider: 'qm-local-g5-ondemand', weight: 1 }],
    });

    await env.status(fixture('termination-notice', job.id, taskArn(2)));
    const failed = await env.jobs.get(job.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.stateReason).toMatch(/^Lost its instance again after one requeue \(not requeued twice\): Host EC2/);
    expect(failed?.history.map((entry) => entry.state)).toEqual([
      'submitted',
      'queued',
      'admitted',
      'starting',
      'running',
      'queued',
      'admitted',
      'starting',
      'running',
      'failed',
    ]);
    expect((await env.jobs.readCounters([GLOBAL_CONCURRENCY]))[GLOBAL_CONCURRENCY]).toBe(0);
  });
});

describe('ECS fleets: no capacity yet (ECS stand-in: aws-sdk-client-mock; DynamoDB Local)', () => {
  it('keeps a PROVISIONING task starting with the fleet named, until ECS reports it running', async () => {
    const env = await setup();
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: taskArn(3), lastStatus: 'PROVISIONING' }] });
    const job = await env.submit('gpu-l40s-1x');
    expect(await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps)).toBe('waiting_for_capacity');
    const waiting = await env.jobs.get(job.id);
    expect(waiting?.state).toBe('starting');
    expect(waiting?.waiting).toEqual({
      code: 'backend_capacity',
      message: 'Waiting for Spot capacity on fleet "g6e" (g6e.xlarge): an instance is being started (the fleet scales from zero)',
    });
    // A redelivered dispatch message neither launches again nor pretends the job runs.
    expect(await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps)).toBe('duplicate');
    expect(runTaskInputs()).toHaveLength(1);

    await env.status(fixture('running', job.id, taskArn(3)));
    const running = await env.jobs.get(job.id);
    expect(running?.state).toBe('running');
    expect(running?.launchDeadline).toBeUndefined();
  });

  it('fails an On-Demand launch that finds no capacity in time, naming the fleet, and stops the waiting task', async () => {
    const env = await setup();
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: taskArn(4), lastStatus: 'PROVISIONING' }] });
    const job = await env.submit('gpu-a100-8x');
    await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps);
    env.clock.advance(29 * 60_000);
    expect((await env.schedule()).launchTimeouts).toEqual([]);
    env.clock.advance(2 * 60_000);
    expect((await env.schedule()).launchTimeouts).toEqual([job.id]);
    const failed = await env.jobs.get(job.id);
    expect(failed?.state).toBe('failed');
    expect(failed?.stateReason).toMatch(
      /^No On-Demand capacity on fleet "p4d" within the launch timeout \(waited 3\d minutes\): the job never started/,
    );
    const stop = (await env.outbox.dispatched()).find((message) => message.action === 'stop' && message.jobId === job.id);
    await handleDispatch(stop!, env.dispatchDeps);
    expect(ecsMock.commandCalls(StopTaskCommand)[0]?.args[0].input.task).toBe(taskArn(4));
  });

  it('queues a Spot launch that finds no Spot capacity in time again, for On-Demand, and stops the waiting task', async () => {
    const env = await setup();
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: taskArn(5), lastStatus: 'PROVISIONING' }] });
    const job = await env.submit('gpu-a10g-1x');
    await handleDispatch({ action: 'launch', jobId: job.id }, env.dispatchDeps);
    env.clock.advance(31 * 60_000);
    await env.schedule();
    const requeued = await env.jobs.get(job.id);
    expect(['queued', 'admitted']).toContain(requeued?.state);
    expect(requeued?.stateReason).toMatch(
      /^Queued again \(once\) on fleet "g5" \(Spot\): No Spot capacity .*its next launch buys On-Demand$/,
    );
    const stop = (await env.outbox.dispatched()).find((message) => message.action === 'stop' && message.jobId === job.id);
    await handleDispatch(stop!, env.dispatchDeps);
    expect(ecsMock.commandCalls(StopTaskCommand)[0]?.args[0].input.task).toBe(taskArn(5));
  });
});
