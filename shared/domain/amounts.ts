/**
 * The arithmetic of GPU-hours and money, in one place: every counter, usage record, estimate and report rounds
 * and multiplies the same way, so two views of one job never disagree by a rounding.
 */

/** `value` rounded to `decimals` places. */
export const roundTo = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** Stored amounts (counter and usage increments, GPU-hours, dollars): six places keep sums of many small ends exact enough. */
export const roundAmount = (value: number): number => roundTo(value, 6);

/** What a usage report shows: four places. */
export const roundReported = (value: number): number => roundTo(value, 4);

/** GPU-hours of `gpuCount` GPUs held for `hours`. */
export const gpuHours = (gpuCount: number, hours: number): number => gpuCount * hours;

/** Hours a job may run (its reservation): its max runtime. */
export const reservedHours = (maxRuntimeMinutes: number): number => maxRuntimeMinutes / 60;
