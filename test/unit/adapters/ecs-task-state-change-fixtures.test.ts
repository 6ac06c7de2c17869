import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPACITY_RECLAIMED_STOP_CODES, ecsTaskStateChangePattern, mapEcsTaskStateChange } from '#adapters/ecs/ecs-task-events';

// Full EventBridge "ECS Task State Change" events, shaped like the ones ECS sends (no ECS runs here: these
// fixtures are the stand-in). One per stop code the mapper handles, plus RUNNING and PROVISIONING.
const FIXTURES = new URL('../../fixtures/ecs-task-state-change/', import.meta.url);
const JOB_ID = '01J9ZQ4G7X2M8K3N5P6R7S8T9V';
const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/quartermaster-prod/0b69d5c0d0224b9e8a1a3f2c8e6d4b21';

interface FixtureEvent {
  source: string;
  'detail-type': string;
  detail: { clusterArn: string; startedBy: string; lastStatus: string; stopCode?: string };
}
const load = (name: string): FixtureEvent => JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as FixtureEvent;

/** What each fixture must map to. */
const EXPECTED: Record<string, unknown> = {
  running: { jobId: JOB_ID, runRef: TASK_ARN, status: 'running' },
  provisioning: undefined, // covered by the job's `starting` state and its waiting reason
  'essential-container-exited-0': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    exitCode: 0,
    reason: 'Essential container in task exited',
    stopCode: 'EssentialContainerExited',
  },
  'essential-container-exited-oom': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    exitCode: 137,
    reason: 'Essential container in task exited: OutOfMemoryError: Container killed due to memory usage',
    stopCode: 'EssentialContainerExited',
  },
  'task-failed-to-start': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    reason: expect.stringMatching(/^CannotPullContainerError: /),
    stopCode: 'TaskFailedToStart',
  },
  'user-initiated': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    exitCode: 143,
    reason: 'Max runtime exceeded',
    stopCode: 'UserInitiated',
  },
  'service-scheduler-initiated': expect.objectContaining({ status: 'ended', stopCode: 'ServiceSchedulerInitiated' }),
  'infrastructure-health': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    reason: 'Task stopped because the underlying infrastructure was unhealthy',
    stopCode: 'InfrastructureHealth',
  },
  'spot-interruption': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    exitCode: 143,
    reason: 'Your Spot Task was interrupted.',
    stopCode: 'SpotInterruption',
    capacityReclaimed: true,
  },
  'termination-notice': {
    jobId: JOB_ID,
    runRef: TASK_ARN,
    status: 'ended',
    reason: 'Host EC2 (instance i-0abc1234def567890) terminated.',
    stopCode: 'TerminationNotice',
    capacityReclaimed: true,
  },
};

describe('ECS task state change fixtures (stand-in events, one per stop code)', () => {
  it('has a fixture for every expectation and an expectation for every fixture', () => {
    const files = readdirSync(FIXTURES).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`maps ${name}`, () => {
      expect(mapEcsTaskStateChange(load(name).detail)).toEqual(expected);
    });
  }

  it('requeues only for the stop codes that mean the instance was taken away', () => {
    expect([...CAPACITY_RECLAIMED_STOP_CODES].sort()).toEqual(['SpotInterruption', 'TerminationNotice']);
    const stopCodes = Object.keys(EXPECTED)
      .map((name) => load(name).detail.stopCode)
      .filter((code): code is string => code !== undefined);
    expect(new Set(stopCodes)).toEqual(
      new Set([
        'EssentialContainerExited',
        'TaskFailedToStart',
        'UserInitiated',
        'ServiceSchedulerInitiated',
        'InfrastructureHealth',
        'SpotInterruption',
        'TerminationNotice',
      ]),
    );
  });

  it('routes every RUNNING and STOPPED fixture through the deployed rule pattern, and no PROVISIONING one', () => {
    for (const name of Object.keys(EXPECTED)) {
      const event = load(name);
      const pattern = ecsTaskStateChangePattern(event.detail.clusterArn);
      const matches =
        pattern.source.includes(event.source) &&
        pattern.detailType.includes(event['detail-type']) &&
        pattern.detail.clusterArn.includes(event.detail.clusterArn) &&
        event.detail.startedBy.startsWith(pattern.detail.startedBy[0]!.prefix) &&
        pattern.detail.lastStatus.includes(event.detail.lastStatus);
      expect(matches, name).toBe(name !== 'provisioning');
    }
  });
});
