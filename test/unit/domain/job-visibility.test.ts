import { describe, expect, it } from 'vitest';
import type { Principal } from '#domain/authz/principal';
import { AppError } from '#domain/errors/app-error';
import type { JobRepository } from '#domain/jobs/jobs.port';
import { canView, getVisibleJob } from '#domain/jobs/job-queries.service';
import type { Job } from '#domain/jobs/job.schema';
import { researcher, storedJob } from '#test-support/job-fixtures';

/** rae (researcher, team vision, org acme) owns the job; everyone else is placed relative to her. */
function raesJob(overrides: Partial<Job> = {}): Job {
  return storedJob(overrides);
}

const who = (userId: string, overrides: Partial<Principal>): Principal => researcher(userId, overrides);

/** Who may see rae's job, per docs/permissions.md scope: leads reach their teams, admins their org, platform admins all. */
const CASES: Array<[string, Principal, boolean]> = [
  ['the owner', who('rae', {}), true],
  ['the owner, demoted to viewer', who('rae', { level: 'viewer' }), true],
  ['a researcher of the same team', who('sam', { level: 'researcher', teamIds: ['vision'] }), false],
  ['a viewer of the same team', who('vic', { level: 'viewer', teamIds: ['vision'] }), false],
  ['a lead of the same team', who('lee', { level: 'lead', teamIds: ['nlp', 'vision'] }), true],
  ['a lead of another team', who('lou', { level: 'lead', teamIds: ['nlp'] }), false],
  ['a lead of no team', who('lon', { level: 'lead', teamIds: [] }), false],
  ['a lead of a same-named team in another org', who('lex', { level: 'lead', orgId: 'globex', teamIds: ['vision'] }), false],
  ['an admin of the same org, in no team', who('ada', { level: 'admin', teamIds: [] }), true],
  ['an admin of another org', who('amy', { level: 'admin', orgId: 'globex' }), false],
  ['the owner id in another org', who('rae', { orgId: 'globex' }), false],
  ['a platform admin of another org', who('pat', { level: 'admin', orgId: 'globex', platformAdmin: true }), true],
];

describe('canView scope', () => {
  it.each(CASES)('%s → %s', (_label, principal, visible) => {
    expect(canView(principal, raesJob())).toBe(visible);
  });

  it('keeps a team-less job to its owner, org admins and platform admins', () => {
    const job = raesJob({ teamId: undefined });
    expect(canView(who('lee', { level: 'lead', teamIds: ['vision'] }), job)).toBe(false);
    expect(canView(who('ada', { level: 'admin' }), job)).toBe(true);
    expect(canView(who('rae', {}), job)).toBe(true);
  });
});

describe('getVisibleJob', () => {
  const stored = raesJob();
  // getVisibleJob reads one job; the rest of the port is irrelevant here (and changes with the quota work).
  const jobs = { get: async (id: string) => (id === stored.id ? stored : undefined) } as Pick<JobRepository, 'get'> as JobRepository;

  async function notFoundFor(principal: Principal, id: string): Promise<AppError> {
    const error = await getVisibleJob(principal, id, jobs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it('returns a job the caller may see', async () => {
    await expect(getVisibleJob(who('rae', {}), stored.id, jobs)).resolves.toBe(stored);
  });

  it('answers the same not_found for a job that exists but is not visible and for one that does not exist', async () => {
    const hidden = await notFoundFor(who('lou', { level: 'lead', teamIds: ['nlp'] }), stored.id);
    const missing = await notFoundFor(who('rae', {}), 'nope');
    expect(hidden.code).toBe('not_found');
    expect([hidden.code, hidden.message]).toEqual([missing.code, missing.message]);
  });
});
