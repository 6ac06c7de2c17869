import type { DeployedFleet } from './fleet.schema';
import type { HardwareType } from './hardware.schema';

export interface HardwareCatalog {
  /** The hardware type, or undefined when unknown. Implementations may cache briefly. */
  get(id: string): Promise<HardwareType | undefined>;
}

/** Administration of the catalog: deployment-wide, so holders of `platform.config` (platform admins). */
export interface HardwareCatalogAdmin extends HardwareCatalog {
  list(): Promise<HardwareType[]>;
  put(hardware: HardwareType): Promise<void>;
}

/** The GPU fleets this deployment has (written at deploy from the stage config; read-only at run time). */
export interface FleetDirectory {
  /** The fleet, or undefined when this deployment has none of that name. Implementations may cache briefly. */
  get(name: string): Promise<DeployedFleet | undefined>;
  list(): Promise<DeployedFleet[]>;
}
