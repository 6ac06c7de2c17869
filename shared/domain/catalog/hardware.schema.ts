import * as z from 'zod/mini';

/** A hardware type of the catalog (docs/architecture.md#gpu-fleets-ecs): what a job asks for and what it costs. */
export const hardwareTypeSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)),
  gpuModel: z.string().check(z.minLength(1)),
  gpuCount: z.number().check(z.int(), z.gte(0), z.lte(64)),
  vcpu: z.number().check(z.int(), z.gte(1)),
  memoryMiB: z.number().check(z.int(), z.gte(128)),
  pricePerHourUsd: z.number().check(z.gte(0)),
  /**
   * Where it runs on ECS: a GPU fleet of the stage config (`fleets`), and the instance type within it. The
   * instance type may be left out when every size of the fleet fits; in a fleet of several sizes it pins
   * the job to that size (an ECS placement constraint).
   */
  ecs: z.optional(
    z.strictObject({
      fleet: z.string().check(z.minLength(1), z.maxLength(20)),
      instanceType: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as g5.xlarge'))),
    }),
  ),
  kubernetes: z.optional(
    z.object({ nodeSelector: z._default(z.record(z.string(), z.string()), {}), gpuResource: z._default(z.string(), 'nvidia.com/gpu') }),
  ),
  enabled: z._default(z.boolean(), true),
});
export type HardwareType = z.infer<typeof hardwareTypeSchema>;

/** Cost estimate of docs/architecture.md#the-job-lifecycle-and-its-writes: max runtime × hourly price, rounded to cents. */
export function estimateCostUsd(hardware: Pick<HardwareType, 'pricePerHourUsd'>, maxRuntimeMinutes: number): number {
  // Via a fixed-point string first: 1.005 × 100 is 100.49999… in binary floating point, yet is half a cent.
  const cents = Number(((hardware.pricePerHourUsd * maxRuntimeMinutes * 100) / 60).toFixed(6));
  return Math.round(cents) / 100;
}
