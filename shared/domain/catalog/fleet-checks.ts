import { roundTo } from '#domain/amounts';
import type { FleetConfig, PurchaseOption } from './fleet.schema';
import { ecsAvailableMemoryMiB, instanceFamily, type InstanceTypeSpec } from './gpu-instance-types';
import type { HardwareType } from './hardware.schema';

/** The part of a fleet the checks read: the stage config's fleets and the deployed fleet records both have it. */
export type CheckedFleet = Pick<FleetConfig, 'name' | 'instanceTypes' | 'purchase'>;

export interface CatalogCheckContext {
  fleets: readonly CheckedFleet[];
  /** Instance type → hardware and prices (the built-in list merged with the stage's `instancePrices`). */
  prices: Readonly<Record<string, InstanceTypeSpec>>;
  /** How far (fraction) a price may sit outside the range its fleet's prices give, e.g. 0.1 = 10 %. */
  priceTolerance: number;
}

const round = (value: number): number => roundTo(value, 3);

/** Problems with the fleets themselves: duplicate names, mixed families, unknown or GPU-less instance types. */
export function checkFleets(context: Pick<CatalogCheckContext, 'fleets' | 'prices'>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const fleet of context.fleets) {
    if (seen.has(fleet.name)) problems.push(`fleet "${fleet.name}" is declared twice`);
    seen.add(fleet.name);
    const families = [...new Set(fleet.instanceTypes.map(instanceFamily))];
    if (families.length > 1) {
      problems.push(
        `fleet "${fleet.name}" mixes instance families (${families.join(', ')}): a fleet is one family, declare one fleet per family`,
      );
    }
    if (new Set(fleet.instanceTypes).size !== fleet.instanceTypes.length)
      problems.push(`fleet "${fleet.name}" lists an instance type twice`);
    for (const type of fleet.instanceTypes) {
      const spec = context.prices[type];
      if (!spec) {
        problems.push(
          `fleet "${fleet.name}": instance type ${type} is not in the price list; add it under instancePrices (gpuModel, gpus, vcpu, memoryMiB, onDemandUsd, spotUsd)`,
        );
      } else if (spec.gpus < 1) {
        problems.push(`fleet "${fleet.name}": ${type} has no GPU; fleets run the ECS GPU-optimized AMI and exist for GPU jobs`);
      }
    }
  }
  return problems;
}

/** The share of an instance a hardware type occupies: the largest of its GPU, vCPU and memory fractions. */
function shareOf(hardware: Pick<HardwareType, 'gpuCount' | 'vcpu' | 'memoryMiB'>, spec: InstanceTypeSpec): number {
  return Math.max(spec.gpus > 0 ? hardware.gpuCount / spec.gpus : 0, hardware.vcpu / spec.vcpu, hardware.memoryMiB / spec.memoryMiB);
}

/**
 * The honest hourly price range of a hardware type on one instance type: its share of the instance at the
 * cheapest purchase the fleet uses (typical Spot, or On-Demand) up to its share at On-Demand.
 */
export function priceRange(
  hardware: Pick<HardwareType, 'gpuCount' | 'vcpu' | 'memoryMiB'>,
  spec: InstanceTypeSpec,
  purchase: PurchaseOption,
): { low: number; high: number } {
  const share = shareOf(hardware, spec);
  const low = (purchase === 'on-demand' ? spec.onDemandUsd : spec.spotUsd) * share;
  return { low: round(low), high: round(spec.onDemandUsd * share) };
}

/** One problem of a hardware type, with the field of the hardware type it is about. */
export interface HardwareProblem {
  field: 'ecs.fleet' | 'ecs.instanceType' | 'gpuCount' | 'gpuModel' | 'vcpu' | 'memoryMiB' | 'pricePerHourUsd';
  message: string;
}

/** Why `hardware` cannot run on `type` (GPU count, GPU model, vCPU, memory), or nothing when it fits. */
function fitProblems(hardware: HardwareType, type: string, spec: InstanceTypeSpec): HardwareProblem[] {
  const problems: HardwareProblem[] = [];
  const name = `hardware type "${hardware.id}"`;
  if (hardware.gpuCount > spec.gpus)
    problems.push({ field: 'gpuCount', message: `${name} asks for ${hardware.gpuCount} GPUs; ${type} has ${spec.gpus}` });
  if (hardware.gpuCount > 0 && hardware.gpuModel !== spec.gpuModel) {
    problems.push({ field: 'gpuModel', message: `${name} says its GPU is "${hardware.gpuModel}"; ${type} has "${spec.gpuModel}"` });
  }
  if (hardware.vcpu > spec.vcpu)
    problems.push({ field: 'vcpu', message: `${name} asks for ${hardware.vcpu} vCPUs; ${type} has ${spec.vcpu}` });
  const available = ecsAvailableMemoryMiB(spec);
  if (hardware.memoryMiB > available) {
    problems.push({
      field: 'memoryMiB',
      message: `${name} asks for ${hardware.memoryMiB} MiB of memory; ${type} offers tasks at most ${available} MiB (of ${spec.memoryMiB} MiB: the OS, ECS agent and GPU driver keep the rest)`,
    });
  }
  return problems;
}

/**
 * Everything wrong with one hardware type's ECS placement: a fleet the stage does not deploy, an instance
 * type outside the fleet, an instance that cannot hold it, or a price outside what its fleet costs.
 * Hardware types without `ecs` run elsewhere (Kubernetes, local) and have nothing to check here.
 */
export function checkHardwareType(hardware: HardwareType, context: CatalogCheckContext): HardwareProblem[] {
  if (!hardware.ecs) return [];
  const name = `hardware type "${hardware.id}"`;
  const fleet = context.fleets.find((candidate) => candidate.name === hardware.ecs?.fleet);
  if (!fleet) {
    const known = context.fleets.map((f) => f.name).join(', ') || 'none';
    return [
      { field: 'ecs.fleet', message: `${name} names fleet "${hardware.ecs.fleet}", which this stage does not deploy (fleets: ${known})` },
    ];
  }
  const pinned = hardware.ecs.instanceType;
  if (pinned && !fleet.instanceTypes.includes(pinned)) {
    return [
      {
        field: 'ecs.instanceType',
        message: `${name} names instance type ${pinned}, which fleet "${fleet.name}" does not have (${fleet.instanceTypes.join(', ')})`,
      },
    ];
  }
  // Unpinned, the job may land on any size of the fleet, so it must fit (and be priced for) every one.
  const types = pinned ? [pinned] : fleet.instanceTypes;
  const problems: HardwareProblem[] = [];
  for (const type of types) {
    const spec = context.prices[type];
    if (!spec) continue; // reported once by checkFleets
    problems.push(...fitProblems(hardware, type, spec));
    const { low, high } = priceRange(hardware, spec, fleet.purchase);
    const tolerance = context.priceTolerance;
    if (hardware.pricePerHourUsd < low * (1 - tolerance) || hardware.pricePerHourUsd > high * (1 + tolerance)) {
      const basis = fleet.purchase === 'on-demand' ? 'On-Demand' : 'typical Spot to On-Demand';
      problems.push({
        field: 'pricePerHourUsd',
        message: `${name} costs $${hardware.pricePerHourUsd}/h, but its share of ${type} on fleet "${fleet.name}" (${fleet.purchase}) costs $${low}-$${high}/h (${basis}, ±${Math.round(tolerance * 100)} % allowed): fix pricePerHourUsd or instancePrices`,
      });
    }
  }
  if (pinned === undefined && fleet.instanceTypes.length > 1 && problems.length > 0) {
    problems.push({
      field: 'ecs.instanceType',
      message: `${name}: pin it to one size with ecs.instanceType, or make it fit every size of fleet "${fleet.name}"`,
    });
  }
  return problems;
}

/** Every problem of a stage's fleets and catalog; empty when the stage can deploy. */
export function checkCatalog(hardware: readonly HardwareType[], context: CatalogCheckContext): string[] {
  const problems = checkFleets(context);
  const ids = new Set<string>();
  for (const type of hardware) {
    if (ids.has(type.id)) problems.push(`hardware type "${type.id}" is declared twice`);
    ids.add(type.id);
    problems.push(...checkHardwareType(type, context).map((problem) => problem.message));
  }
  return problems;
}
