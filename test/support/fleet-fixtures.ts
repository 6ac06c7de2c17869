import { DEFAULT_FLEETS } from '#domain/catalog/default-catalog';
import type { FleetDirectory } from '#domain/catalog/catalog.port';
import { fleetSchema, toDeployedFleet, type DeployedFleet, type FleetConfigInput } from '#domain/catalog/fleet.schema';
import { GPU_INSTANCE_TYPES } from '#domain/catalog/gpu-instance-types';

/** Fleets as a deploy of `stage` records them; the default stage's fleets unless others are given. */
export function deployedFleets(stage: string, fleets: readonly FleetConfigInput[] = DEFAULT_FLEETS): DeployedFleet[] {
  return fleets.map((fleet) => toDeployedFleet(stage, fleetSchema.parse(fleet), GPU_INSTANCE_TYPES));
}

/** A FleetDirectory over fixed fleets: unit tests of code that only reads fleets. */
export function inMemoryFleets(stage: string, fleets: readonly FleetConfigInput[] = DEFAULT_FLEETS): FleetDirectory {
  const byName = new Map(deployedFleets(stage, fleets).map((fleet) => [fleet.name, fleet]));
  return {
    get: async (name) => byName.get(name),
    list: async () => [...byName.values()],
  };
}
