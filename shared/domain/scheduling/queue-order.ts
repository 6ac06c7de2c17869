import type { Job } from '#domain/jobs/job.schema';
import { decayedUsage, fairShareRecordsOf, type FairShareDays } from './fair-share';
import type { SchedulingSettings } from './scheduling-settings';

/**
 * The queue's order (DESIGN §4.8), for every queued job of every org:
 *   1. holders of `job.bypass.queue` first, then jobs an admin moved to the front (earliest move first);
 *   2. effective priority, highest first: the priority class plus one per `agingMinutes` waited;
 *   3. fair share: the team's decayed GPU-hours divided by its weight, least first; then the user's own;
 *   4. the time the job entered the queue, then its id.
 * Aging bounds starvation: see `starvationBoundMinutes`.
 */
export interface RankedJob {
  job: Job;
  queuedAt: number;
  effectivePriority: number;
  /** Decayed team GPU-hours ÷ team weight (0 without a team). */
  teamUsage: number;
  /** Decayed GPU-hours of the job's owner. */
  userUsage: number;
}

export interface OrderingContext {
  now: Date;
  settingsOf(orgId: string): SchedulingSettings;
  /** Fair-share records by id (absent = never used anything). */
  usage: Readonly<Record<string, FairShareDays>>;
}

/** When the job entered `queued` (after approval, if it needed one). */
export function queuedAt(job: Job): number {
  const entered = [...job.history].reverse().find((h) => h.state === 'queued')?.at ?? job.createdAt;
  return Date.parse(entered);
}

export function effectivePriority(priorityClass: number, waitedMs: number, agingMinutes: number): number {
  return priorityClass + Math.floor(Math.max(0, waitedMs) / (agingMinutes * 60_000));
}

/**
 * A queued job of priority class `p` is never ordered behind a job (without bypass or a move to the front)
 * that entered the queue more than this many minutes after it, whatever the fair share; `maxPriorityClass`
 * is the highest class any job can have (admin + high = 150 with the built-in levels).
 */
export function starvationBoundMinutes(priorityClass: number, maxPriorityClass: number, agingMinutes: number): number {
  return (Math.max(0, maxPriorityClass - priorityClass) + 1) * agingMinutes;
}

export function rankJob(job: Job, ctx: OrderingContext): RankedJob {
  const settings = ctx.settingsOf(job.orgId);
  const records = fairShareRecordsOf(job);
  const decay = (record?: string) => (record && ctx.usage[record] ? decayedUsage(ctx.usage[record], ctx.now, settings.halfLifeHours) : 0);
  const weight = (job.teamId && settings.teamWeights[job.teamId]) || 1;
  const entered = queuedAt(job);
  return {
    job,
    queuedAt: entered,
    effectivePriority: effectivePriority(job.priorityClass, ctx.now.getTime() - entered, settings.agingMinutes),
    teamUsage: decay(records.team) / weight,
    userUsage: decay(records.user),
  };
}

export function compareRanked(a: RankedJob, b: RankedJob): number {
  const bypass = Number(b.job.bypassQueue ?? false) - Number(a.job.bypassQueue ?? false);
  if (bypass !== 0) return bypass;
  const frontA = a.job.movedToFrontAt;
  const frontB = b.job.movedToFrontAt;
  if (frontA || frontB) {
    if (!frontA) return 1;
    if (!frontB) return -1;
    if (frontA !== frontB) return frontA < frontB ? -1 : 1;
  }
  return (
    b.effectivePriority - a.effectivePriority ||
    a.teamUsage - b.teamUsage ||
    a.userUsage - b.userUsage ||
    a.queuedAt - b.queuedAt ||
    (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0)
  );
}

export function orderQueue(jobs: readonly Job[], ctx: OrderingContext): RankedJob[] {
  return jobs.map((job) => rankJob(job, ctx)).sort(compareRanked);
}
