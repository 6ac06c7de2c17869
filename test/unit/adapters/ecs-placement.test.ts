import { DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EcsJobBackend } from '#adapters/ecs/ecs-job-backend.client';
import type { HardwareRequirements } from '#domain/jobs/jobs.port';
import { DEFAULT_GPU_HARDWARE } from '#domain/catalog/default-catalog';
import type { HardwareType } from '#domain/catalog/hardware.schema';
import { jobSchema, type Job } from '#domain/jobs/job.schema';
import { inMemoryFleets } from '#test-support/fleet-fixtures';

// ECS is a stand-in here (aws-sdk-client-mock): these tests check what we ask ECS for, not what ECS does.
const ecsMock = mockClient(ECSClient);
const JOB_ID = '01J9ZQ4G7X2M8K3N5P6R7S8T9V';
const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/qm/0123456789abcdef0123456789abcdef';

const job = (hardwareType: string, overrides: Partial<Job> = {}): Job =>
  jobSchema.parse({
    schemaVersion: 1,
    id: JOB_ID,
    orgId: 'acme',
    ownerId: 'rae',
    spec: { name: 'train', image: 'trainer:1', command: ['python', 'train.py'], hardwareType, maxRuntimeMinutes: 60 },
    backend: 'ecs',
    state: 'starting',
    priorityClass: 20,
    estimatedCostUsd: 1,
    gpuCount: 1,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    history: [],
    version: 4,
    ...overrides,
  });

const requirements = (hardware: HardwareType): HardwareRequirements => ({
  hardwareType: hardware.id,
  gpuCount: hardware.gpuCount,
  vcpu: hardware.vcpu,
  memoryMiB: hardware.memoryMiB,
  ...(hardware.ecs ? { ecs: { ...hardware.ecs } } : {}),
});

const backend = (fleets = inMemoryFleets('prod')) =>
  new EcsJobBackend({
    ecs: new ECSClient({ region: 'us-east-1' }),
    fleets,
    clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/quartermaster-prod',
    subnetIds: ['subnet-a'],
    securityGroupId: 'sg-jobs',
    executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
    taskRoleArn: 'arn:aws:iam::111122223333:role/task',
    logGroup: '/quartermaster/jobs',
    region: 'us-east-1',
  });

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({});
  ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:td/qm-x:1' } });
  ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PENDING' }] });
});

describe('ECS placement per hardware type of the default catalog (mocked ECS)', () => {
  const cases = [
    ['gpu-a10g-1x', 'qm-prod-g5-spot', '1', '4096', '15360'],
    ['gpu-l40s-1x', 'qm-prod-g6e-spot', '1', '4096', '30720'],
    ['gpu-a100-8x', 'qm-prod-p4d-ondemand', '8', '98304', '1048576'],
  ] as const;
  for (const [id, provider, gpus, cpu, memory] of cases) {
    it(`runs ${id} on ${provider} with ${gpus} GPU(s), its vCPUs and memory (mocked ECS)`, async () => {
      const hardware = DEFAULT_GPU_HARDWARE.find((candidate) => candidate.id === id)!;
      await backend().launch(job(id), requirements(hardware));
      const run = ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input;
      expect(run.capacityProviderStrategy).toEqual([{ capacityProvider: provider, weight: 1 }]);
      // One size per default fleet: no constraint needed.
      expect(run.placementConstraints).toBeUndefined();
      const definition = ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
      expect(definition).toMatchObject({ cpu, memory, requiresCompatibilities: ['EC2'] });
      expect(definition.containerDefinitions?.[0]?.resourceRequirements).toEqual([{ type: 'GPU', value: gpus }]);
    });
  }
});

describe('ECS placement in a fleet of several sizes (mocked ECS)', () => {
  const mixed = inMemoryFleets('prod', [{ name: 'g5', instanceTypes: ['g5.xlarge', 'g5.12xlarge'], purchase: 'spot' }]);
  const quad: HardwareType = {
    schemaVersion: 1,
    id: 'gpu-a10g-4x',
    gpuModel: 'NVIDIA A10G',
    gpuCount: 4,
    vcpu: 48,
    memoryMiB: 180_000,
    pricePerHourUsd: 5.672,
    ecs: { fleet: 'g5', instanceType: 'g5.12xlarge' },
    enabled: true,
  };

  it('pins a sized hardware type to its instance type with a memberOf constraint', async () => {
    const result = await backend(mixed).launch(job(quad.id), requirements(quad));
    const run = ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input;
    expect(run.capacityProviderStrategy).toEqual([{ capacityProvider: 'qm-prod-g5-spot', weight: 1 }]);
    expect(run.placementConstraints).toEqual([{ type: 'memberOf', expression: 'attribute:ecs.instance-type == g5.12xlarge' }]);
    expect(result.ecsPlacement).toEqual({ fleet: 'g5', purchase: 'spot', instanceType: 'g5.12xlarge' });
  });

  it('leaves an unpinned hardware type free to land on any size', async () => {
    const { instanceType: _unpinned, ...fleetOnly } = quad.ecs!;
    await backend(mixed).launch(job(quad.id), { ...requirements(quad), ecs: fleetOnly });
    expect(ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input.placementConstraints).toBeUndefined();
  });

  it('stays on Spot after an interruption on a Spot-only fleet, with a fresh client token (mocked ECS)', async () => {
    await backend(mixed).launch(job(quad.id, { spotInterruptions: 1 }), requirements(quad));
    const run = ecsMock.commandCalls(RunTaskCommand)[0]!.args[0].input;
    expect(run.capacityProviderStrategy).toEqual([{ capacityProvider: 'qm-prod-g5-spot', weight: 1 }]);
    expect(run.clientToken).toBe(`${JOB_ID}-1`);
  });

  it('reports a PROVISIONING task as waiting for capacity, with the fleet launch timeout (mocked ECS)', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }] });
    const result = await backend(mixed).launch(job(quad.id), requirements(quad));
    expect(result.waitingForCapacity).toEqual({
      message: 'Waiting for Spot capacity on fleet "g5" (g5.12xlarge): an instance is being started (the fleet scales from zero)',
      timeoutMinutes: 30,
    });
  });
});
