import type { FleetConfigInput } from './fleet.schema';
import type { HardwareType } from './hardware.schema';

/**
 * The fleets a stage deploys unless its config says otherwise: one per GPU family of the demo catalog.
 * A10G and L40S buy Spot first and fall back to On-Demand; the A100 fleet is On-Demand only, since
 * p4d Spot capacity is rarely there and an 8-GPU job is the most expensive one to lose.
 */
export const DEFAULT_FLEETS: readonly FleetConfigInput[] = [
  { name: 'g5', instanceTypes: ['g5.xlarge'], purchase: 'spot-with-on-demand-fallback', maxInstances: 4 },
  { name: 'g6e', instanceTypes: ['g6e.xlarge'], purchase: 'spot-with-on-demand-fallback', maxInstances: 2 },
  { name: 'p4d', instanceTypes: ['p4d.24xlarge'], purchase: 'on-demand', maxInstances: 1, rootVolumeGiB: 500 },
];

/**
 * The GPU hardware types of the demo catalog, each on its own fleet: the stage config's default catalog
 * and the local stack's seed are this one list. Memory leaves what the instance keeps for itself
 * (`ecsAvailableMemoryMiB`); prices are the instance's us-east-1 On-Demand price per hour.
 */
export const DEFAULT_GPU_HARDWARE: readonly HardwareType[] = [
  {
    schemaVersion: 1,
    id: 'gpu-a10g-1x',
    gpuModel: 'NVIDIA A10G',
    gpuCount: 1,
    vcpu: 4,
    memoryMiB: 15_360,
    pricePerHourUsd: 1.006,
    ecs: { fleet: 'g5', instanceType: 'g5.xlarge' },
    enabled: true,
  },
  {
    schemaVersion: 1,
    id: 'gpu-l40s-1x',
    gpuModel: 'NVIDIA L40S',
    gpuCount: 1,
    vcpu: 4,
    memoryMiB: 30_720,
    pricePerHourUsd: 1.861,
    ecs: { fleet: 'g6e', instanceType: 'g6e.xlarge' },
    enabled: true,
  },
  {
    schemaVersion: 1,
    id: 'gpu-a100-8x',
    gpuModel: 'NVIDIA A100 40GB',
    gpuCount: 8,
    vcpu: 96,
    memoryMiB: 1_048_576,
    pricePerHourUsd: 32.773,
    ecs: { fleet: 'p4d', instanceType: 'p4d.24xlarge' },
    enabled: true,
  },
];
