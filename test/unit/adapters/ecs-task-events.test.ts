import { describe, expect, it } from 'vitest';
import {
  ecsTaskStateChangePattern,
  mapEcsTaskStateChange,
  startedByForJob,
  type EcsTaskStateChangeDetail,
} from '#adapters/ecs/ecs-task-events';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { RunReport } from '#domain/job-flow/run-status.service';

const JOB_ID = '01J9ZQ4G7X2M8K3N5P6R7S8T9V';
const TASK_ARN = 'arn:aws:ecs:eu-west-1:111122223333:task/qm-jobs/5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f';

/** Shaped like the `detail` of a real "ECS Task State Change" event, trimmed to the fields that matter. */
const detail = (overrides: Partial<EcsTaskStateChangeDetail> = {}): EcsTaskStateChangeDetail => ({
  taskArn: TASK_ARN,
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/qm-jobs',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  startedBy: `qm-${JOB_ID}`,
  containers: [{ name: 'job' }],
  ...overrides,
});

describe('mapEcsTaskStateChange', () => {
  it('maps RUNNING to running (mocked ECS)', () => {
    // Typed as RunReport on purpose: the status handler passes the update to applyRunReport unchanged.
    const report: RunReport | undefined = mapEcsTaskStateChange(detail());
    expect(report).toEqual({ jobId: JOB_ID, runRef: TASK_ARN, status: 'running' });
  });

  it('maps STOPPED with exit code 0 to ended (mocked ECS)', () => {
    const update = mapEcsTaskStateChange(
      detail({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'job', exitCode: 0 }],
      }),
    );
    expect(update).toEqual({
      jobId: JOB_ID,
      runRef: TASK_ARN,
      status: 'ended',
      exitCode: 0,
      reason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
    });
  });

  it('maps STOPPED with exit code 1 and keeps the container reason (mocked ECS)', () => {
    const update = mapEcsTaskStateChange(
      detail({
        lastStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'job', exitCode: 1, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
      }),
    );
    expect(update).toMatchObject({
      status: 'ended',
      exitCode: 1,
      reason: 'Essential container in task exited: OutOfMemoryError: Container killed due to memory usage',
    });
  });

  it('maps a task that never started (CannotPullContainerError) to ended without exit code (mocked ECS)', () => {
    const pullError = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found';
    const update = mapEcsTaskStateChange(
      detail({
        lastStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
        stoppedReason: pullError,
        containers: [{ name: 'job', reason: pullError }],
      }),
    );
    expect(update).toEqual({
      jobId: JOB_ID,
      runRef: TASK_ARN,
      status: 'ended',
      reason: pullError,
      stopCode: 'TaskFailedToStart',
    });
    expect(update).not.toHaveProperty('exitCode');
  });

  it('ignores intermediate states, foreign tasks and malformed details (mocked ECS)', () => {
    for (const lastStatus of ['PROVISIONING', 'PENDING', 'ACTIVATING', 'DEACTIVATING', 'STOPPING']) {
      expect(mapEcsTaskStateChange(detail({ lastStatus }))).toBeUndefined();
    }
    expect(mapEcsTaskStateChange(detail({ startedBy: 'ecs-svc/9223370545345641169' }))).toBeUndefined();
    expect(mapEcsTaskStateChange(detail({ startedBy: undefined }))).toBeUndefined();
    expect(mapEcsTaskStateChange(detail({ startedBy: 'qm-' }))).toBeUndefined();
    expect(mapEcsTaskStateChange({ lastStatus: 'RUNNING' })).toBeUndefined();
    expect(mapEcsTaskStateChange('not an object')).toBeUndefined();
  });

  it('falls back to the qm:job-id tag of a DescribeTasks result (mocked ECS)', () => {
    const update = mapEcsTaskStateChange(detail({ startedBy: undefined, tags: [{ key: 'qm:job-id', value: JOB_ID }] }));
    expect(update?.jobId).toBe(JOB_ID);
  });
});

describe('startedByForJob and the rule pattern', () => {
  it('carries the job id losslessly within 36 characters and round-trips (mocked ECS)', () => {
    const startedBy = startedByForJob(JOB_ID);
    expect(startedBy).toBe(`qm-${JOB_ID}`);
    expect(startedBy.length).toBeLessThanOrEqual(36);
    expect(mapEcsTaskStateChange(detail({ startedBy }))?.jobId).toBe(JOB_ID);
    expect(() => startedByForJob('x'.repeat(34))).toThrow(BackendLaunchError);
    expect(() => startedByForJob('has space')).toThrow(BackendLaunchError);
  });

  it('builds an EventBridge pattern that matches only our tasks on the cluster (mocked ECS)', () => {
    expect(ecsTaskStateChangePattern('arn:cluster')).toEqual({
      source: ['aws.ecs'],
      detailType: ['ECS Task State Change'],
      detail: { clusterArn: ['arn:cluster'], startedBy: [{ prefix: 'qm-' }], lastStatus: ['RUNNING', 'STOPPED'] },
    });
  });
});
