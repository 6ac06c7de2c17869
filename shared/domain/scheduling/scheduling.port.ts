import type { SchedulingSettings } from './scheduling-settings';
import type { FairShareDays } from './fair-share';

/**
 * Reads per-day records, several at once: fair-share records (one scheduler pass reads every team and user it
 * orders) and run-history records (runtime-history.ts), which share their shape and their lazy cleanup.
 */
export interface FairShareSource {
  read(records: readonly string[]): Promise<Record<string, FairShareDays>>;
}

export interface SchedulingSettingsSource {
  forOrg(orgId: string): Promise<SchedulingSettings>;
}
export interface SchedulingSettingsStore extends SchedulingSettingsSource {
  put(orgId: string, settings: SchedulingSettings): Promise<void>;
}
