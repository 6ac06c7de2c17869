import { DEFAULT_HALF_LIFE_HOURS } from './fair-share';

/** Minutes of waiting that raise a queued job's effective priority by one (see queue-order.ts). */
export const DEFAULT_AGING_MINUTES = 60;

/**
 * An org's scheduling settings (`queue.manage`): fair-share half-life and team weights, the aging step, and
 * whether admission is paused for the whole org or for some of its backends. Absent = the defaults. (The
 * API's input schema is in scheduling-settings.schema.ts: the submit path reads settings without zod.)
 */
export interface SchedulingSettings {
  halfLifeHours: number;
  agingMinutes: number;
  teamWeights: Record<string, number>;
  paused: boolean;
  pausedBackends: string[];
  updatedAt?: string;
  updatedBy?: string;
}

export const DEFAULT_SCHEDULING: SchedulingSettings = {
  halfLifeHours: DEFAULT_HALF_LIFE_HOURS,
  agingMinutes: DEFAULT_AGING_MINUTES,
  teamWeights: {},
  paused: false,
  pausedBackends: [],
};

export function withDefaults(stored: Partial<SchedulingSettings> | undefined): SchedulingSettings {
  return { ...DEFAULT_SCHEDULING, ...(stored ?? {}) };
}
