import * as z from 'zod/mini';

/**
 * What one EC2 instance type offers a job, and what it costs per hour (USD, Linux). `spotUsd` is a typical
 * Spot price, not a quote: Spot moves with demand, per region and Availability Zone.
 */
export const instanceTypeSpecSchema = z.object({
  gpuModel: z.string().check(z.minLength(1)),
  gpus: z.number().check(z.int(), z.gte(0), z.lte(64)),
  vcpu: z.number().check(z.int(), z.gte(1)),
  memoryMiB: z.number().check(z.int(), z.gte(512)),
  onDemandUsd: z.number().check(z.gt(0)),
  spotUsd: z.number().check(z.gt(0)),
});
export type InstanceTypeSpec = z.infer<typeof instanceTypeSpecSchema>;

const GIB = 1024;

/**
 * The price list shipped with the stage config: GPU instance types ECS can run jobs on, with their
 * hardware and us-east-1 prices (On-Demand from the public price list; Spot a typical figure, roughly
 * 40-60 % of On-Demand). Other regions and negotiated prices differ: a stage overrides entries, or adds
 * instance types, with `instancePrices` (docs/deploy.md). Checked against `pricePerHourUsd` of every
 * hardware type at synth time (see `fleet-checks.ts`).
 */
export const GPU_INSTANCE_TYPES: Readonly<Record<string, InstanceTypeSpec>> = {
  'g5.xlarge': { gpuModel: 'NVIDIA A10G', gpus: 1, vcpu: 4, memoryMiB: 16 * GIB, onDemandUsd: 1.006, spotUsd: 0.45 },
  'g5.2xlarge': { gpuModel: 'NVIDIA A10G', gpus: 1, vcpu: 8, memoryMiB: 32 * GIB, onDemandUsd: 1.212, spotUsd: 0.55 },
  'g5.4xlarge': { gpuModel: 'NVIDIA A10G', gpus: 1, vcpu: 16, memoryMiB: 64 * GIB, onDemandUsd: 1.624, spotUsd: 0.72 },
  'g5.8xlarge': { gpuModel: 'NVIDIA A10G', gpus: 1, vcpu: 32, memoryMiB: 128 * GIB, onDemandUsd: 2.448, spotUsd: 1.05 },
  'g5.12xlarge': { gpuModel: 'NVIDIA A10G', gpus: 4, vcpu: 48, memoryMiB: 192 * GIB, onDemandUsd: 5.672, spotUsd: 2.4 },
  'g5.48xlarge': { gpuModel: 'NVIDIA A10G', gpus: 8, vcpu: 192, memoryMiB: 768 * GIB, onDemandUsd: 16.288, spotUsd: 6.9 },
  'g6.xlarge': { gpuModel: 'NVIDIA L4', gpus: 1, vcpu: 4, memoryMiB: 16 * GIB, onDemandUsd: 0.8048, spotUsd: 0.36 },
  'g6.2xlarge': { gpuModel: 'NVIDIA L4', gpus: 1, vcpu: 8, memoryMiB: 32 * GIB, onDemandUsd: 0.9776, spotUsd: 0.44 },
  'g6e.xlarge': { gpuModel: 'NVIDIA L40S', gpus: 1, vcpu: 4, memoryMiB: 32 * GIB, onDemandUsd: 1.861, spotUsd: 0.85 },
  'g6e.2xlarge': { gpuModel: 'NVIDIA L40S', gpus: 1, vcpu: 8, memoryMiB: 64 * GIB, onDemandUsd: 2.242, spotUsd: 1.0 },
  'g6e.12xlarge': { gpuModel: 'NVIDIA L40S', gpus: 4, vcpu: 48, memoryMiB: 384 * GIB, onDemandUsd: 10.493, spotUsd: 4.6 },
  'g6e.48xlarge': { gpuModel: 'NVIDIA L40S', gpus: 8, vcpu: 192, memoryMiB: 1536 * GIB, onDemandUsd: 30.131, spotUsd: 13.0 },
  'p4d.24xlarge': { gpuModel: 'NVIDIA A100 40GB', gpus: 8, vcpu: 96, memoryMiB: 1152 * GIB, onDemandUsd: 32.773, spotUsd: 14.5 },
};

/**
 * Memory an ECS container instance registers is less than the instance's: the kernel, the ECS agent and
 * the NVIDIA driver keep some. We keep 6 % (at least 1 GiB) out of reach of job tasks, so a hardware type
 * that passes the check really fits a registered instance.
 */
export const ecsAvailableMemoryMiB = (spec: Pick<InstanceTypeSpec, 'memoryMiB'>): number =>
  spec.memoryMiB - Math.max(GIB, Math.ceil(spec.memoryMiB * 0.06));

/** `g5.xlarge` → `g5`: the family a fleet is built from (one family per fleet). */
export const instanceFamily = (instanceType: string): string => instanceType.slice(0, instanceType.indexOf('.'));
