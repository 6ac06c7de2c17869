import type { CounterEffect } from '#domain/quotas/counters';
import type { Job } from '#domain/jobs/job.schema';
import type { FairShareDays } from './fair-share';

/**
 * Run history for estimated starts (docs/scheduling.md, "Where a job stands"): how much of its max runtime a
 * user's jobs of one template (or, without a template, of one name) actually run. One record per org, user
 * and template, `runtime:ORG#<org>#USER#<user>#TEMPLATE#<template>` (or `…#NAME#<name>`), holding per UTC day
 * a count per tenth of max runtime used: `d2026-12-06_6` = runs that ended that day after 60-70 % of their
 * max runtime. The transaction that ends a run adds 1 with an atomic `ADD` (success, failure and timeout; a
 * cancel says nothing about how long the work takes). Read like fair share: each day weighs
 * 2^(−age / RUNTIME_HISTORY_HALF_LIFE_HOURS), no sweeping job, old days dropped by readers.
 */
export const RUNTIME_HISTORY_HALF_LIFE_HOURS = 7 * 24;
/** Fewer (decayed) runs than this: no history, the estimate uses max runtimes. */
export const MIN_HISTORY_RUNS = 2;
const TENTHS = 10;

export function runtimeHistoryRecord(job: Pick<Job, 'orgId' | 'ownerId' | 'spec'>): string {
  const what = job.spec.template ? `TEMPLATE#${job.spec.template}` : `NAME#${job.spec.name}`;
  return `runtime:ORG#${job.orgId}#USER#${job.ownerId}#${what}`;
}

/** The effect that records a run ending at `endedAt` (none for a job that never started). */
export function runtimeHistoryEffects(job: Job, endedAt: string): CounterEffect[] {
  if (!job.startedAt) return [];
  const share = (Date.parse(endedAt) - Date.parse(job.startedAt)) / (job.spec.maxRuntimeMinutes * 60_000);
  const tenth = Math.min(TENTHS - 1, Math.max(0, Math.floor(share * TENTHS)));
  return [{ counter: runtimeHistoryRecord(job), field: `d${endedAt.slice(0, 10)}_${tenth}`, amount: 1 }];
}

/**
 * The typical share of max runtime in a record at `at`: the decayed median tenth, taken at its middle
 * (a median of 60-70 % gives 0.65). Undefined with fewer than MIN_HISTORY_RUNS decayed runs.
 */
export function typicalRuntimeShare(days: FairShareDays | undefined, at: Date): number | undefined {
  if (!days) return undefined;
  const weights = new Array<number>(TENTHS).fill(0);
  for (const [field, count] of Object.entries(days)) {
    const match = /^d(\d{4}-\d{2}-\d{2})_(\d)$/.exec(field);
    if (!match) continue;
    const ageHours = Math.max(0, (at.getTime() - Date.parse(`${match[1]}T12:00:00.000Z`)) / 3_600_000);
    weights[Number(match[2])]! += count * 2 ** (-ageHours / RUNTIME_HISTORY_HALF_LIFE_HOURS);
  }
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total < MIN_HISTORY_RUNS) return undefined;
  let seen = 0;
  for (let tenth = 0; tenth < TENTHS; tenth += 1) {
    seen += weights[tenth]!;
    if (seen >= total / 2) return (tenth + 0.5) / TENTHS;
  }
  return 1;
}
