import type { Principal } from '#domain/authz/principal';
import { invalidState, notFound } from '#domain/errors/app-error';
import type { JobRepository } from '#domain/jobs/jobs.port';
import type { BackendKind, Job } from '#domain/jobs/job.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { teamOfOrg } from '#domain/tenancy/org-references';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { SchedulingSettingsInput } from './scheduling-settings.schema';
import type { SchedulingSettings } from './scheduling-settings';
import type { SchedulingSettingsStore } from './scheduling.port';

/**
 * Queue administration (`queue.manage`, docs/scheduling.md), always of the caller's own org: its scheduling
 * settings (half-life, aging, team weights), pause and resume of admission for the org or one backend, and
 * moving a queued job to the front. Routes audit each change with what it was before and after.
 */
export interface QueueAdminDeps {
  scheduling: SchedulingSettingsStore;
  jobs: JobRepository;
  teams: Pick<TenancyRepository, 'getTeam'>;
  clock: Clock;
}

export type SettingsChange = { before: SchedulingSettings; after: SchedulingSettings };

async function change(
  principal: Principal,
  deps: QueueAdminDeps,
  edit: (current: SchedulingSettings) => SchedulingSettings,
): Promise<SettingsChange> {
  const before = await deps.scheduling.forOrg(principal.orgId);
  const after = { ...edit(before), updatedAt: deps.clock.now().toISOString(), updatedBy: principal.userId };
  await deps.scheduling.put(principal.orgId, after);
  return { before, after };
}

/** Merges the given fields; every team named in `teamWeights` must be a team of the caller's org. */
export async function updateSchedulingSettings(principal: Principal, input: SchedulingSettingsInput, deps: QueueAdminDeps) {
  for (const teamId of Object.keys(input.teamWeights ?? {})) {
    await teamOfOrg(deps.teams, principal.orgId, teamId, `body.teamWeights.${teamId}`);
  }
  return change(principal, deps, (current) => ({
    ...current,
    ...(input.halfLifeHours !== undefined ? { halfLifeHours: input.halfLifeHours } : {}),
    ...(input.agingMinutes !== undefined ? { agingMinutes: input.agingMinutes } : {}),
    ...(input.teamWeights ? { teamWeights: input.teamWeights } : {}),
    ...(input.paused !== undefined ? { paused: input.paused } : {}),
    ...(input.pausedBackends ? { pausedBackends: [...new Set(input.pausedBackends)] } : {}),
  }));
}

/** Pauses (or resumes) admission for the whole org, or for one backend of it. */
export function setPaused(principal: Principal, paused: boolean, backend: BackendKind | undefined, deps: QueueAdminDeps) {
  return change(principal, deps, (current) => {
    if (!backend) return { ...current, paused };
    const others = current.pausedBackends.filter((b) => b !== backend);
    return { ...current, pausedBackends: paused ? [...others, backend] : others };
  });
}

/**
 * Moves a queued job of the caller's org ahead of every job without bypass (earlier moves stay ahead of
 * later ones). Another org's job does not exist here; a job that is no longer queued is a conflict.
 */
export async function moveToFront(principal: Principal, jobId: string, deps: QueueAdminDeps): Promise<Job> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const job = await deps.jobs.get(jobId);
    if (!job || (job.orgId !== principal.orgId && !principal.platformAdmin)) throw notFound('Job');
    if (job.state !== 'queued')
      throw invalidState(`Only a queued job can be moved to the front (it is ${job.state})`, { state: job.state });
    const at = deps.clock.now().toISOString();
    const moved: Job = { ...job, movedToFrontAt: at, updatedAt: at, version: job.version + 1 };
    const outcome = await deps.jobs.save(moved, 'queued');
    if (outcome.ok) return outcome.job;
    if (outcome.reason !== 'state' && outcome.reason !== 'conflict') break;
  }
  throw invalidState('The job left the queue meanwhile');
}
