import { roundTo } from '#domain/amounts';

/** Small, dependency-free statistics for the bench figures. Inputs are left untouched (sorted copies). */

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Rounds to `digits` decimals: the JSON report stays readable and sub-microsecond noise is meaningless. */
export const round = (value: number, digits = 2): number => roundTo(value, digits);

/** Median; the mean of the two middle values for an even count. Throws on an empty list (a bench bug). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  const upper = s[mid] as number;
  return s.length % 2 === 1 ? upper : ((s[mid - 1] as number) + upper) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100): always one of the observed values, so a p95 of 10 samples is the
 * slowest sample rather than an interpolation that was never measured.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  if (p < 0 || p > 100) throw new Error(`percentile out of range: ${p}`);
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1] as number;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}

export function summarize(values: readonly number[], digits = 2): Summary {
  const s = sorted(values);
  return {
    n: s.length,
    p50: round(percentile(s, 50), digits),
    p95: round(percentile(s, 95), digits),
    max: round(s[s.length - 1] as number, digits),
    min: round(s[0] as number, digits),
  };
}

/** `value / floor`, rounded; the budgets of docs/budgets.md are ratios against a floor measured in the same run. */
export function ratio(value: number, floor: number, digits = 3): number {
  if (floor <= 0) throw new Error(`ratio against a non-positive floor: ${floor}`);
  return round(value / floor, digits);
}
