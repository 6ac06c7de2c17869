import { gpuHours, roundAmount } from '#domain/amounts';
import { hoursRun } from '#domain/job-flow/job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { dailyUsageCounter, scopeKey, type ScopeRef } from '#domain/quotas/counters';
import { periodKey } from '#domain/quotas/period';
import type { QuotaPeriod } from '#domain/quotas/quota.schema';

/**
 * The key shapes written before counters, usage and the owner index named the org, and how each maps to
 * its org-qualified successor. Only the migration reads these: nothing else may build a legacy key.
 */
export type LegacyScope = { type: ScopeRef['type']; id: string };

/** `<metric>:[<period>:<key>:]<type>:<id>`; backend ids were already `<org>/<backend>`. */
const LEGACY_COUNTER = /^(.+):(org|team|user|backend):([^:]+)$/;
/** `USAGE#<type>#<id>` (lower-case type; the new partitions are `USAGE#ORG#…`). */
const LEGACY_USAGE = /^USAGE#(org|team|user)#(.+)$/;
const LEGACY_OWNER_INDEX = /^USER#(.+)#JOBS$/;

export function parseLegacyCounter(id: string): { prefix: string; scope: LegacyScope } | undefined {
  const match = LEGACY_COUNTER.exec(id);
  if (!match) return undefined;
  return { prefix: match[1]!, scope: { type: match[2] as LegacyScope['type'], id: match[3]! } };
}

export function parseLegacyUsage(pk: string): LegacyScope | undefined {
  const match = LEGACY_USAGE.exec(pk);
  return match ? { type: match[1] as LegacyScope['type'], id: match[2]! } : undefined;
}

export const isLegacyOwnerIndex = (gsi1pk: unknown): boolean => typeof gsi1pk === 'string' && LEGACY_OWNER_INDEX.test(gsi1pk);

/** The org a legacy scope names by itself (org and backend scopes did); team and user scopes need a lookup. */
export function ownOrg(scope: LegacyScope): string | undefined {
  if (scope.type === 'org') return scope.id;
  if (scope.type === 'backend') return scope.id.split('/')[0];
  return undefined;
}

export function orgScope(scope: LegacyScope, orgId: string): ScopeRef {
  if (scope.type === 'backend') return { type: 'backend', orgId, id: scope.id.slice(scope.id.indexOf('/') + 1) };
  return { type: scope.type, orgId, id: scope.type === 'org' ? orgId : scope.id };
}

export const newCounterId = (prefix: string, scope: LegacyScope, orgId: string): string => `${prefix}:${scopeKey(orgScope(scope, orgId))}`;
export const newUsageCounterId = (scope: LegacyScope, orgId: string, day: string): string => dailyUsageCounter(orgScope(scope, orgId), day);

/** When the job entered `state` (history keeps one timestamp per state reached). */
const reached = (job: Job, state: Job['state']): string | undefined => job.history.find((h) => h.state === state)?.at;

/** Jobs that were admitted and have ended: the ones whose settlement and usage are in counters. */
function settled(jobs: readonly Job[], orgId: string, teamId: string): Job[] {
  return jobs.filter((j) => j.orgId === orgId && j.teamId === teamId && j.endedAt && reached(j, 'admitted'));
}

/**
 * What a legacy team record shared by several orgs holds for one of them, rebuilt from that org's ended
 * job records the way settlement wrote it (live holds were moved with their jobs before this runs).
 * Concurrency is held by live jobs only, so nothing remains of it.
 */
export function rebuildTeamCounter(prefix: string, orgId: string, teamId: string, jobs: readonly Job[]): number {
  const [metric, period, key] = prefix.split(':') as [string, QuotaPeriod | undefined, string | undefined];
  if (!period || !key) return 0;
  let total = 0;
  for (const job of settled(jobs, orgId, teamId)) {
    const admittedAt = new Date(reached(job, 'admitted')!);
    if (periodKey(period, admittedAt) !== key) continue;
    const hours = hoursRun(job, job.endedAt!);
    if (metric === 'daily_jobs') total += 1;
    if (metric === 'gpu_hours') total += gpuHours(job.gpuCount, hours);
    if (metric === 'cost_usd') total += (job.estimatedCostUsd / (job.spec.maxRuntimeMinutes / 60)) * hours;
  }
  return round(total);
}

export function rebuildTeamUsage(day: string, orgId: string, teamId: string, jobs: readonly Job[]): Record<string, number> {
  const usage = { jobs: 0, gpuHours: 0, costUsd: 0 };
  for (const job of settled(jobs, orgId, teamId)) {
    if (job.endedAt!.slice(0, 10) !== day) continue;
    const hours = hoursRun(job, job.endedAt!);
    usage.jobs += 1;
    usage.gpuHours += gpuHours(job.gpuCount, hours);
    usage.costUsd += (job.estimatedCostUsd / (job.spec.maxRuntimeMinutes / 60)) * hours;
  }
  return { jobs: usage.jobs, gpuHours: round(usage.gpuHours), costUsd: round(usage.costUsd) };
}

const round = roundAmount;
