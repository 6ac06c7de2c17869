/** Formatting shared by the pages; kept pure so it is unit-tested. */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatUsd(amount: number): string {
  return usd.format(amount);
}

export function formatGpuHours(hours: number): string {
  return `${hours.toFixed(hours >= 100 ? 0 : hours >= 10 ? 1 : 2)} GPU-h`;
}

/** `1h 05m`, `12m`, `45s`: a duration a person reads at a glance. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Relative to `now`: `3m ago`, `in 2h 10m`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const delta = Date.parse(iso) - now;
  if (Number.isNaN(delta)) return iso;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** The live cost estimate of the submit form: max runtime × price per hour (what the API reserves). */
export function estimateCost(maxRuntimeMinutes: number, pricePerHourUsd: number): number {
  if (!Number.isFinite(maxRuntimeMinutes) || maxRuntimeMinutes <= 0) return 0;
  return Math.round((maxRuntimeMinutes / 60) * pricePerHourUsd * 100) / 100;
}

export type StatusKind = 'success' | 'error' | 'warning' | 'info' | 'stopped' | 'pending' | 'in-progress';

/** How a job state looks in a status indicator. */
export function jobStatusKind(state: string): StatusKind {
  switch (state) {
    case 'succeeded':
      return 'success';
    case 'failed':
    case 'denied':
    case 'rejected':
    case 'timed_out':
      return 'error';
    case 'cancelled':
    case 'expired':
      return 'stopped';
    case 'running':
    case 'starting':
      return 'in-progress';
    case 'pending_approval':
      return 'warning';
    default:
      return 'pending';
  }
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'timed_out', 'cancelled', 'rejected', 'expired', 'denied']);

const ESTIMATE_BASIS: Record<string, string> = {
  history: 'from recent runs',
  max_runtime: 'from max runtimes (the latest)',
  period_reset: "at the budget's reset",
};

/** What an estimated start rests on, in words: a named basis (with the API's detail when given), or the API's own sentence. */
export function estimateBasisText(estimate: { basis: string; detail?: string }): string {
  const named = ESTIMATE_BASIS[estimate.basis];
  if (!named) return estimate.basis;
  return estimate.detail ? `${named}: ${estimate.detail}` : named;
}
