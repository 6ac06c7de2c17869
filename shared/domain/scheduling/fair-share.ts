import { type CounterEffect, scopeKey, type ScopeRef } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';

/**
 * Fair share (docs/scheduling.md): how much GPU time a team, and a user within it, used recently. One record per
 * team and per user, org-qualified (`fairshare:ORG#<org>#TEAM#<team>`), holding GPU-hours per UTC day
 * (`d2026-12-06`). Settlement adds to today's field with an atomic `ADD` in the transaction that ends the
 * job; decay is arithmetic on read — each day's GPU-hours weigh 2^(−age / half-life), age measured from the
 * middle of that day — so there is no sweeping job and the half-life can change without rewriting anything.
 */
export const fairShareRecord = (scope: ScopeRef): string => `fairshare:${scopeKey(scope)}`;

export const DEFAULT_HALF_LIFE_HOURS = 7 * 24;
/** Days older than this weigh nothing (at a 7-day half-life they weigh < 2⁻⁵²); readers drop them. */
export const FAIR_SHARE_WINDOW_DAYS = 365;

const dayField = (at: string): string => `d${at.slice(0, 10)}`;

/** The fair-share records a job charges: its team's (when it has one) and its owner's, in its org. */
export function fairShareRecordsOf(job: Pick<Job, 'orgId' | 'ownerId' | 'teamId'>): { team?: string; user: string } {
  return {
    ...(job.teamId ? { team: fairShareRecord({ type: 'team', orgId: job.orgId, id: job.teamId }) } : {}),
    user: fairShareRecord({ type: 'user', orgId: job.orgId, id: job.ownerId }),
  };
}

/** The effects that charge `gpuHours` used by `job` to its team and user, on the day it ended. */
export function fairShareEffects(job: Job, gpuHours: number, endedAt: string): CounterEffect[] {
  if (gpuHours <= 0) return [];
  const records = fairShareRecordsOf(job);
  return [records.team, records.user].flatMap((counter) =>
    counter ? [{ counter, field: dayField(endedAt), amount: Math.round(gpuHours * 1e6) / 1e6 }] : [],
  );
}

/** Per-day GPU-hours of a record, as stored (`d<yyyy-mm-dd>` → hours). */
export type FairShareDays = Record<string, number>;

/** Decayed GPU-hours of a record at `at`. */
export function decayedUsage(days: FairShareDays, at: Date, halfLifeHours: number): number {
  let total = 0;
  for (const [field, hours] of Object.entries(days)) {
    if (field.includes('_')) continue; // a run-history field, never in a fair-share record
    const ageHours = ageOf(field, at);
    if (ageHours === undefined || ageHours > FAIR_SHARE_WINDOW_DAYS * 24) continue;
    total += hours * 2 ** (-Math.max(0, ageHours) / halfLifeHours);
  }
  return total;
}

/** Fields of a record that fell out of the window: a reader removes them (lazy cleanup, no sweeper). */
export function expiredDays(days: FairShareDays, at: Date): string[] {
  return Object.keys(days).filter((field) => (ageOf(field, at) ?? 0) > FAIR_SHARE_WINDOW_DAYS * 24);
}

/** Age of a day field: `d<yyyy-mm-dd>`, or `d<yyyy-mm-dd>_<n>` in run-history records (runtime-history.ts). */
function ageOf(field: string, at: Date): number | undefined {
  const match = /^d(\d{4}-\d{2}-\d{2})(?:_\d+)?$/.exec(field);
  if (!match) return undefined;
  const middle = Date.parse(`${match[1]}T12:00:00.000Z`);
  return (at.getTime() - middle) / 3_600_000;
}
