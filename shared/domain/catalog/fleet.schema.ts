import * as z from 'zod/mini';
import { instanceTypeSpecSchema } from './gpu-instance-types';

/**
 * How a fleet buys instances:
 * - `on-demand`: On-Demand only.
 * - `spot`: Spot only; a job interrupted by a Spot reclaim is queued again once, on Spot again.
 * - `spot-with-on-demand-fallback`: Spot first; a job that loses its Spot instance is queued again once and
 *   then runs On-Demand (the fleet has a Spot and an On-Demand capacity provider; the dispatcher picks the
 *   task's capacity provider strategy per attempt).
 */
export const PURCHASE_OPTIONS = ['on-demand', 'spot', 'spot-with-on-demand-fallback'] as const;
export const purchaseOptionSchema = z.enum(PURCHASE_OPTIONS);
export type PurchaseOption = z.infer<typeof purchaseOptionSchema>;

/** What one launch attempt uses: the capacity actually bought. */
export type PurchaseKind = 'spot' | 'on-demand';

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** A GPU fleet as a stage declares it (docs/architecture.md: one capacity provider per GPU instance family). */
export const fleetSchema = z.object({
  /** Short name: part of the capacity provider and Auto Scaling group names; hardware types refer to it. */
  name: z
    .string()
    .check(z.regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and dashes, 1-20 characters, starting with a letter')),
  /** Instance types of one family (e.g. g5.xlarge, g5.2xlarge); several sizes make a mixed fleet. */
  instanceTypes: z
    .array(z.string().check(z.regex(INSTANCE_TYPE, 'an EC2 instance type such as g5.xlarge')))
    .check(z.minLength(1), z.maxLength(20)),
  purchase: z._default(purchaseOptionSchema, 'on-demand'),
  /** Upper bound of each of the fleet's Auto Scaling groups; the lower bound is always 0 (scale to zero). */
  maxInstances: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 2),
  /** Root volume (GiB, gp3, encrypted): the GPU AMI plus large job images need room. */
  rootVolumeGiB: z._default(z.number().check(z.int(), z.gte(30), z.lte(16384)), 200),
  /**
   * How long a job may wait for an instance (the group scaling from zero, or no Spot capacity) before it
   * fails with a clear reason instead of waiting forever.
   */
  launchTimeoutMinutes: z._default(z.number().check(z.int(), z.gte(5), z.lte(24 * 60)), 30),
});
export type FleetConfig = z.infer<typeof fleetSchema>;
export type FleetConfigInput = z.input<typeof fleetSchema>;

/**
 * A fleet as the running system sees it: its settings, the ECS capacity providers CDK created for it, and
 * the specs and prices of its instance types. Written to the table at deploy (and by the local seed), read
 * by the dispatcher (placement), the explain service (fleet and purchase option) and catalog checks.
 */
export const deployedFleetSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  name: z.string().check(z.minLength(1)),
  purchase: purchaseOptionSchema,
  instanceTypes: z.array(z.string()).check(z.minLength(1)),
  launchTimeoutMinutes: z.number().check(z.int(), z.gte(1)),
  capacityProviders: z.object({ spot: z.optional(z.string()), onDemand: z.optional(z.string()) }),
  instances: z.record(z.string(), instanceTypeSpecSchema),
});
export type DeployedFleet = z.infer<typeof deployedFleetSchema>;

/**
 * Capacity provider names of a fleet. Literal strings (not tokens), so the same function names them in
 * CDK and in the deployed fleet record. ECS refuses names starting with `aws`, `ecs` or `fargate`.
 */
export function capacityProviderNames(stage: string, fleet: Pick<FleetConfig, 'name' | 'purchase'>): DeployedFleet['capacityProviders'] {
  const base = `qm-${stage}-${fleet.name}`;
  return {
    ...(fleet.purchase !== 'on-demand' ? { spot: `${base}-spot` } : {}),
    ...(fleet.purchase !== 'spot' ? { onDemand: `${base}-ondemand` } : {}),
  };
}

/** The purchase a launch attempt uses: Spot first where the fleet has it, On-Demand once Spot let the job down. */
export function purchaseForAttempt(fleet: Pick<DeployedFleet, 'purchase'>, spotInterruptions: number): PurchaseKind {
  if (fleet.purchase === 'on-demand') return 'on-demand';
  if (fleet.purchase === 'spot') return 'spot';
  return spotInterruptions > 0 ? 'on-demand' : 'spot';
}

/** The record of a declared fleet once deployed: its capacity provider names and its instance types' specs. */
export function toDeployedFleet(
  stage: string,
  fleet: FleetConfig,
  prices: Readonly<Record<string, z.infer<typeof instanceTypeSpecSchema>>>,
): DeployedFleet {
  const instances: DeployedFleet['instances'] = {};
  for (const type of fleet.instanceTypes) {
    const spec = prices[type];
    if (spec) instances[type] = spec;
  }
  return {
    schemaVersion: 1,
    name: fleet.name,
    purchase: fleet.purchase,
    instanceTypes: [...fleet.instanceTypes],
    launchTimeoutMinutes: fleet.launchTimeoutMinutes,
    capacityProviders: capacityProviderNames(stage, fleet),
    instances,
  };
}
