import {
  AccessDeniedException,
  ClientException,
  ConflictException,
  DescribeTaskDefinitionCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EcsJobBackend } from '#adapters/ecs/ecs-job-backend.client';
import { taskDefinitionFamily } from '#adapters/ecs/ecs-task-definition';
import { BackendCapacityError, BackendLaunchError } from '#domain/jobs/backend-errors';
import type { HardwareRequirements } from '#domain/jobs/jobs.port';
import { jobSchema, type Job, type JobSpecInput } from '#domain/jobs/job.schema';
import { inMemoryFleets } from '#test-support/fleet-fixtures';

const JOB_ID = '01J9ZQ4G7X2M8K3N5P6R7S8T9V';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const HF_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:qm/org-1/hf-token-AbCdEf';
const TASK_DEF_ARN = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/qm-0123456789abcdef:1';
const TASK_ARN = `arn:aws:ecs:eu-west-1:111122223333:task/qm-jobs/5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f`;

const makeJob = (overrides: Partial<Job> = {}, spec: Partial<JobSpecInput> = {}): Job =>
  jobSchema.parse({
    schemaVersion: 1,
    id: JOB_ID,
    orgId: 'org-1',
    ownerId: 'user-1',
    spec: {
      name: 'train-llm',
      image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/trainer:1.4',
      command: ['python', 'train.py'],
      args: ['--epochs', '3'],
      env: [
        { name: 'EPOCHS', value: '3' },
        { name: 'HF_TOKEN', secretRef: HF_SECRET },
      ],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 120,
      ...spec,
    },
    backend: 'ecs',
    state: 'admitted',
    priorityClass: 10,
    estimatedCostUsd: 2.02,
    gpuCount: 1,
    createdAt: '2025-06-01T11:59:00.000Z',
    updatedAt: '2025-06-01T11:59:30.000Z',
    history: [{ state: 'admitted', at: '2025-06-01T11:59:30.000Z' }],
    version: 3,
    ...overrides,
  });

const hardware: HardwareRequirements = {
  hardwareType: 'gpu-a10g-1x',
  gpuCount: 1,
  vcpu: 4,
  memoryMiB: 15_000,
  ecs: { fleet: 'g5', instanceType: 'g5.xlarge' },
};

/** An in-memory fleet directory holding the default stage's fleets, as the deploy records them (stage `test`). */
const fleets = inMemoryFleets('test');

const settings = {
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/qm-jobs',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-jobs',
  executionRoleArn: 'arn:aws:iam::111122223333:role/qm-exec',
  taskRoleArn: 'arn:aws:iam::111122223333:role/qm-task',
  logGroup: '/quartermaster/jobs',
  region: 'eu-west-1',
};

const ecsMock = mockClient(ECSClient);
const backend = () => new EcsJobBackend({ ecs: new ECSClient({}), fleets, ...settings, now: () => NOW });
const notFound = () => new ClientException({ message: 'Unable to describe task definition.', $metadata: {} });

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeTaskDefinitionCommand).rejects(notFound());
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TASK_DEF_ARN } });
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, createdAt: NOW }], failures: [] });
  ecsMock.on(StopTaskCommand).resolves({ task: { taskArn: TASK_ARN, lastStatus: 'STOPPED' } });
});

describe('EcsJobBackend.launch task definitions', () => {
  it('registers an EC2/awsvpc definition with GPUs, secrets by reference and awslogs (mocked ECS)', async () => {
    await backend().launch(makeJob(), hardware);

    const registered = ecsMock.commandCalls(RegisterTaskDefinitionCommand);
    expect(registered).toHaveLength(1);
    const input = registered[0]!.args[0].input;
    expect(input.family).toMatch(/^qm-[0-9a-f]{16}$/);
    expect(input).toMatchObject({
      requiresCompatibilities: ['EC2'],
      networkMode: 'awsvpc',
      cpu: '4096',
      memory: '15000',
      executionRoleArn: settings.executionRoleArn,
      taskRoleArn: settings.taskRoleArn,
    });
    const container = input.containerDefinitions?.[0];
    expect(container).toMatchObject({
      name: 'job',
      image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/trainer:1.4',
      resourceRequirements: [{ type: 'GPU', value: '1' }],
      secrets: [{ name: 'HF_TOKEN', valueFrom: HF_SECRET }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/quartermaster/jobs',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'job',
        },
      },
    });
    // Plain env is per job (overrides), never baked into the shared definition.
    expect(container?.environment).toBeUndefined();
    expect(ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input.taskDefinition).toBe(TASK_DEF_ARN);
  });

  it('reuses an ACTIVE definition of the same family instead of registering (mocked ECS)', async () => {
    const existing = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/qm-existing:7';
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: existing, status: 'ACTIVE' } });

    await backend().launch(makeJob(), hardware);

    const described = ecsMock.commandCalls(DescribeTaskDefinitionCommand);
    expect(described[0]!.args[0].input.taskDefinition).toBe(taskDefinitionFamily(makeJob(), hardware, settings));
    expect(ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input.taskDefinition).toBe(existing);
  });

  it('derives the family from image, hardware, roles, log group and secret refs only (mocked ECS)', () => {
    const family = taskDefinitionFamily(makeJob(), hardware, settings);
    // Command, args and plain env travel in overrides: they must not multiply definitions.
    expect(taskDefinitionFamily(makeJob({}, { command: ['bash'], args: [] }), hardware, settings)).toBe(family);
    expect(taskDefinitionFamily(makeJob({}, { image: 'trainer:1.5' }), hardware, settings)).not.toBe(family);
    expect(taskDefinitionFamily(makeJob(), { ...hardware, gpuCount: 4 }, settings)).not.toBe(family);
    expect(taskDefinitionFamily(makeJob(), hardware, { ...settings, taskRoleArn: 'other' })).not.toBe(family);
    expect(taskDefinitionFamily(makeJob({}, { env: [] }), hardware, settings)).not.toBe(family);
  });

  it('omits the GPU requirement for CPU-only hardware (mocked ECS)', async () => {
    await backend().launch(makeJob(), { ...hardware, gpuCount: 0 });
    const container = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input.containerDefinitions?.[0];
    expect(container?.resourceRequirements).toBeUndefined();
  });
});

describe('EcsJobBackend.launch RunTask', () => {
  it('runs idempotently on the capacity provider with plain env only in overrides (mocked ECS)', async () => {
    const result = await backend().launch(makeJob(), hardware);

    expect(result).toEqual({
      runRef: TASK_ARN,
      alreadyLaunched: false,
      ecsPlacement: { fleet: 'g5', purchase: 'spot', instanceType: 'g5.xlarge', onDemandFallback: true },
    });
    const input = ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      cluster: settings.clusterArn,
      clientToken: JOB_ID,
      count: 1,
      startedBy: `qm-${JOB_ID}`,
      capacityProviderStrategy: [{ capacityProvider: 'qm-test-g5-spot', weight: 1 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-a', 'subnet-b'],
          securityGroups: ['sg-jobs'],
          assignPublicIp: 'DISABLED',
        },
      },
      overrides: {
        containerOverrides: [
          {
            name: 'job',
            command: ['python', 'train.py', '--epochs', '3'],
            environment: [{ name: 'EPOCHS', value: '3' }],
          },
        ],
      },
      tags: [
        { key: 'qm:job-id', value: JOB_ID },
        { key: 'qm:org-id', value: 'org-1' },
      ],
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
    });
    expect(input.launchType).toBeUndefined();
    expect(input.startedBy!.length).toBeLessThanOrEqual(36);
    const overrides = JSON.stringify(input.overrides);
    expect(overrides).not.toContain('HF_TOKEN');
    expect(overrides).not.toContain(HF_SECRET);
  });

  it('reports alreadyLaunched when ECS replays an earlier task for the same client token (mocked ECS)', async () => {
    const earlier = new Date(NOW.getTime() - 5 * 60_000);
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, createdAt: earlier }] });

    expect(await backend().launch(makeJob(), hardware)).toMatchObject({ runRef: TASK_ARN, alreadyLaunched: true });
  });

  it('treats a client-token ConflictException as the original launch (mocked ECS)', async () => {
    ecsMock.on(RunTaskCommand).rejects(new ConflictException({ message: 'clientToken in use', $metadata: {}, resourceIds: [TASK_ARN] }));

    expect(await backend().launch(makeJob(), hardware)).toEqual({ runRef: TASK_ARN, alreadyLaunched: true });
  });

  it('does not call ECS for a job that already has a runRef (mocked ECS)', async () => {
    const result = await backend().launch(makeJob({ runRef: TASK_ARN, state: 'starting' }), hardware);

    expect(result).toEqual({ runRef: TASK_ARN, alreadyLaunched: true });
    expect(ecsMock.calls()).toHaveLength(0);
  });

  it('turns a RESOURCE:GPU failure into a retryable BackendCapacityError (mocked ECS)', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: 'arn:cp/qm-g5', reason: 'RESOURCE:GPU' }] });

    const error = await backend()
      .launch(makeJob(), hardware)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendCapacityError);
    expect(error).toMatchObject({ retryable: true, code: 'backend_capacity', backendReason: 'RESOURCE:GPU' });
  });

  it('turns a non-capacity failure into a non-retryable BackendLaunchError (mocked ECS)', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'ATTRIBUTE', detail: 'ecs.os-type' }] });

    const error = await backend()
      .launch(makeJob(), hardware)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendLaunchError);
    expect(error).toMatchObject({ retryable: false, backendReason: 'ATTRIBUTE' });
  });

  it('maps a rejected request to BackendLaunchError and lets other SDK errors through (mocked ECS)', async () => {
    ecsMock.on(RunTaskCommand).rejects(new InvalidParameterException({ message: 'bad subnet', $metadata: {} }));
    await expect(backend().launch(makeJob(), hardware)).rejects.toBeInstanceOf(BackendLaunchError);

    const denied = new AccessDeniedException({ message: 'denied', $metadata: {} });
    ecsMock.on(RunTaskCommand).rejects(denied);
    await expect(backend().launch(makeJob(), hardware)).rejects.toBe(denied);
  });

  it('refuses hardware without an ECS fleet, an unknown fleet and oversized overrides before RunTask (mocked ECS)', async () => {
    const { ecs: _omitted, ...withoutFleet } = hardware;
    await expect(backend().launch(makeJob(), withoutFleet)).rejects.toThrow(/names no ECS fleet/);
    await expect(backend().launch(makeJob(), { ...hardware, ecs: { fleet: 'h100' } })).rejects.toThrow(
      /names fleet "h100", which this deployment does not have/,
    );

    const huge = makeJob({}, { args: Array.from({ length: 3 }, () => 'x'.repeat(4000)) });
    await expect(backend().launch(huge, hardware)).rejects.toThrow(/ECS allows 8192/);
    expect(ecsMock.commandCalls(RunTaskCommand)).toHaveLength(0);
  });
});

describe('EcsJobBackend.stop', () => {
  it('stops the task with the reason cut to 255 characters (mocked ECS)', async () => {
    await backend().stop(makeJob({ runRef: TASK_ARN, state: 'running' }), 'r'.repeat(300));

    const input = ecsMock.commandCalls(StopTaskCommand)[0]!.args[0].input;
    expect(input).toEqual({ cluster: settings.clusterArn, task: TASK_ARN, reason: 'r'.repeat(255) });
  });

  it('accepts a task that is already stopped or no longer known (mocked ECS)', async () => {
    const job = makeJob({ runRef: TASK_ARN, state: 'running' });
    await expect(backend().stop(job, 'cancelled')).resolves.toBeUndefined();

    ecsMock.on(StopTaskCommand).rejects(new InvalidParameterException({ message: 'The referenced task was not found.', $metadata: {} }));
    await expect(backend().stop(job, 'cancelled')).resolves.toBeUndefined();

    ecsMock.on(StopTaskCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    await expect(backend().stop(job, 'cancelled')).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('finds the task by its startedBy marker when no runRef was recorded (mocked ECS)', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [TASK_ARN] });

    await backend().stop(makeJob({ state: 'starting' }), 'timed out');

    expect(ecsMock.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({
      cluster: settings.clusterArn,
      startedBy: `qm-${JOB_ID}`,
    });
    expect(ecsMock.commandCalls(StopTaskCommand)[0]!.args[0].input.task).toBe(TASK_ARN);
  });
});
