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
