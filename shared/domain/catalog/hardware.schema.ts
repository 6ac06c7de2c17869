import * as z from 'zod';

/** A hardware type of the catalog (DESIGN §4.4): what a job asks for and what it costs. */
export const hardwareTypeSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  id: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/),
  gpuModel: z.string().min(1),
  gpuCount: z.number().int().min(0).max(64),
  vcpu: z.number().int().min(1),
  memoryMiB: z.number().int().min(128),
  pricePerHourUsd: z.number().min(0),
  /** Where it can run: ECS capacity provider and instance type; Kubernetes node selector/resource. */
  ecs: z.object({ capacityProvider: z.string().min(1), instanceType: z.string().min(1) }).optional(),
  kubernetes: z
    .object({ nodeSelector: z.record(z.string(), z.string()).default({}), gpuResource: z.string().default('nvidia.com/gpu') })
    .optional(),
  enabled: z.boolean().default(true),
});
export type HardwareType = z.infer<typeof hardwareTypeSchema>;

/** Cost estimate of DESIGN §4.5: max runtime × hourly price, rounded to cents. */
export function estimateCostUsd(hardware: Pick<HardwareType, 'pricePerHourUsd'>, maxRuntimeMinutes: number): number {
  // Via a fixed-point string first: 1.005 × 100 is 100.49999… in binary floating point, yet is half a cent.
  const cents = Number(((hardware.pricePerHourUsd * maxRuntimeMinutes * 100) / 60).toFixed(6));
  return Math.round(cents) / 100;
}
