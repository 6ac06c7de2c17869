import type { SchedulingSettings } from './scheduling-settings';
import type { FairShareDays } from './fair-share';

/** Reads fair-share records (several at once: one scheduler pass reads every team and user it orders). */
export interface FairShareSource {
  read(records: readonly string[]): Promise<Record<string, FairShareDays>>;
}

export interface SchedulingSettingsSource {
  forOrg(orgId: string): Promise<SchedulingSettings>;
}
export interface SchedulingSettingsStore extends SchedulingSettingsSource {
  put(orgId: string, settings: SchedulingSettings): Promise<void>;
}
