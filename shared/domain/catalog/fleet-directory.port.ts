import type { DeployedFleet } from './fleet.schema';

/** The GPU fleets this deployment has (written at deploy from the stage config; read-only at run time). */
export interface FleetDirectory {
  /** The fleet, or undefined when this deployment has none of that name. Implementations may cache briefly. */
  get(name: string): Promise<DeployedFleet | undefined>;
  list(): Promise<DeployedFleet[]>;
}
