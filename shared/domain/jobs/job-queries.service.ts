import { hasPermission, reaches } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import type { JobLogReader, JobRepository, LogLine, Page } from './jobs.port';
import { notFound } from '#domain/errors/app-error';
import type { Job, JobState } from './job.schema';

/**
 * Whether `principal` may see `job`. Owners see their own; `job.view.all` reaches the caller's teams for a
 * lead and the caller's org for an admin; only a platform admin crosses orgs (docs/permissions.md).
 */
export function canView(principal: Principal, job: Job): boolean {
  if (principal.platformAdmin) return true;
  if (job.orgId !== principal.orgId) return false;
  if (job.ownerId === principal.userId) return hasPermission(principal, 'job.view.own');
  return reaches(principal, 'job.view.all', { orgId: job.orgId, teamIds: [job.teamId] });
}

/** Loads a job the caller may see; anything else is "not found", so ids of others' jobs leak nothing. */
export async function getVisibleJob(principal: Principal, id: string, jobs: JobRepository): Promise<Job> {
  const job = await jobs.get(id);
  if (!job || !canView(principal, job)) throw notFound('Job');
  return job;
}

export function listOwnJobs(
  principal: Principal,
  options: { state?: JobState; limit: number; cursor?: string },
  jobs: JobRepository,
): Promise<Page<Job>> {
  return jobs.listByOwner(principal.orgId, principal.userId, options);
}

export async function readJobLogs(
  principal: Principal,
  id: string,
  options: { cursor?: string; limit: number },
  deps: { jobs: JobRepository; logs: (job: Job) => JobLogReader },
): Promise<{ job: Job; lines: LogLine[]; nextCursor?: string }> {
  const job = await getVisibleJob(principal, id, deps.jobs);
  const page = await deps.logs(job).read(job, options);
  return { job, ...page };
}
