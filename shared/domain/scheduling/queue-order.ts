import type { Job } from '#domain/jobs/job.schema';
import { decayedUsage, fairShareRecordsOf, type FairShareDays } from './fair-share';
import type { SchedulingSettings } from './scheduling-settings';

/**
 * The queue's order (docs/scheduling.md), for every queued job of every org:
 *   1. holders of `job.bypass.queue` first, then jobs an admin moved to the front (earliest move first);
 *   2. effective priority, highest first: the priority class, plus one per `agingMinutes` waited, minus a
 *      fair-share penalty of up to FAIR_SHARE_POINTS for a team that used more than its share recently;
 *   3. the user's own recent GPU-hours, least first (fairness within a team);
 *   4. the time the job entered the queue, then its id.
 * The penalty follows Slurm's fair-share factor: with U the team's part of its org's decayed GPU-hours
 * (among the teams in the queue) and S its part of their weights, penalty = POINTS × (1 − 2^(−U/S)): 0 for
 * a team that used nothing, POINTS/2 for one that used exactly its share, approaching POINTS above it.
 * Being bounded, it cannot outweigh aging for long: see `starvationBoundMinutes`.
 */
export const FAIR_SHARE_POINTS = 10;

export interface RankedJob {
  job: Job;
  queuedAt: number;
  effectivePriority: number;
  /** Decayed GPU-hours of the job's team (0 without a team). */
  teamUsage: number;
  /** Fair-share penalty in priority points, in [0, FAIR_SHARE_POINTS). */
  fairSharePenalty: number;
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

export function effectivePriority(priorityClass: number, waitedMs: number, agingMinutes: number, penalty = 0): number {
  return priorityClass + Math.floor(Math.max(0, waitedMs) / (agingMinutes * 60_000)) - penalty;
}

/** Slurm-style fair-share penalty: `usageShare` and `weightShare` are fractions of the org's totals. */
export function fairSharePenalty(usageShare: number, weightShare: number): number {
  if (usageShare <= 0 || weightShare <= 0) return 0;
  return FAIR_SHARE_POINTS * (1 - 2 ** (-usageShare / weightShare));
}

/**
 * A queued job of priority class `p` is never ordered behind a job (without bypass or a move to the front)
 * that entered the queue more than this many minutes after it, whatever the fair share; `maxPriorityClass`
 * is the highest class any job can have (admin + high = 150 with the built-in levels). The job's penalty
 * is below FAIR_SHARE_POINTS and the later job's at least 0, so aging makes up for both after that long.
 */
export function starvationBoundMinutes(priorityClass: number, maxPriorityClass: number, agingMinutes: number): number {
  return (Math.max(0, maxPriorityClass - priorityClass) + FAIR_SHARE_POINTS + 1) * agingMinutes;
}

/** Decayed usage and weight of every team in the queue, per org: the totals the penalty is relative to. */
function teamTotals(jobs: readonly Job[], ctx: OrderingContext) {
  const teams = new Map<string, { orgId: string; usage: number; weight: number }>();
  for (const job of jobs) {
    const record = fairShareRecordsOf(job).team;
    if (!record || teams.has(record)) continue;
    const settings = ctx.settingsOf(job.orgId);
    const days = ctx.usage[record];
    teams.set(record, {
      orgId: job.orgId,
      usage: days ? decayedUsage(days, ctx.now, settings.halfLifeHours) : 0,
      weight: (job.teamId && settings.teamWeights[job.teamId]) || 1,
    });
  }
  const orgs = new Map<string, { usage: number; weight: number }>();
  for (const team of teams.values()) {
    const org = orgs.get(team.orgId) ?? { usage: 0, weight: 0 };
    orgs.set(team.orgId, { usage: org.usage + team.usage, weight: org.weight + team.weight });
  }
  return { teams, orgs };
}

export function rankJob(job: Job, ctx: OrderingContext, totals = teamTotals([job], ctx)): RankedJob {
  const settings = ctx.settingsOf(job.orgId);
  const records = fairShareRecordsOf(job);
  const team = records.team ? totals.teams.get(records.team) : undefined;
  const org = totals.orgs.get(job.orgId);
  const penalty = team && org && org.usage > 0 ? fairSharePenalty(team.usage / org.usage, team.weight / org.weight) : 0;
  const userDays = ctx.usage[records.user];
  const entered = queuedAt(job);
  return {
    job,
    queuedAt: entered,
    effectivePriority: effectivePriority(job.priorityClass, ctx.now.getTime() - entered, settings.agingMinutes, penalty),
    teamUsage: team?.usage ?? 0,
    fairSharePenalty: penalty,
    userUsage: userDays ? decayedUsage(userDays, ctx.now, settings.halfLifeHours) : 0,
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
    a.userUsage - b.userUsage ||
    a.queuedAt - b.queuedAt ||
    (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0)
  );
}

export function orderQueue(jobs: readonly Job[], ctx: OrderingContext): RankedJob[] {
  const totals = teamTotals(jobs, ctx);
  return jobs.map((job) => rankJob(job, ctx, totals)).sort(compareRanked);
}
