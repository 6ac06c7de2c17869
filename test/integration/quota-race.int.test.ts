import { describe, expect, it } from 'vitest';
import { endJob } from '#domain/job-flow/job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { researcher, spec } from '#test-support/job-fixtures';
import { quota } from '#test-support/quota-fixtures';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import { GLOBAL_SHARD_COUNTERS, isGlobalShard, shardLimit } from '#domain/quotas/global-shards';
import { systemClock } from '#adapters/runtime/system-runtime';
import { admissionWorld } from '#test-support/admission-world';

/**
 * docs/budgets.md "quota race": many concurrent submissions against room for Q, across user, team and org
 * ceilings, against DynamoDB Local's real transactions. Room: team-a 25 + team-b 12 = 37 (each of the 20
 * users may run 3, so the team ceilings bind), under an org ceiling of 100.
 */
describe('quota race: 200 parallel submissions against room for 37 (DynamoDB Local)', () => {
  it('admits exactly 37, keeps every counter equal to the live holds, and returns them to zero on duplicated ends', async () => {
    const { jobs, deps, outbox } = await admissionWorld({
      limits: { maxConcurrent: 1000, userMaxConcurrent: 1000 },
      quotaCacheMs: 60_000,
      clock: systemClock,
      quotas: [
        quota({ metric: 'concurrent_jobs', scopeType: 'org', limit: 100 }),
        quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'team-a', limit: 25 }),
        quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'team-b', limit: 12 }),
        quota({ metric: 'concurrent_jobs', scopeType: 'level', scopeId: 'researcher', limit: 3 }),
        quota({ metric: 'concurrent_gpus', scopeType: 'org', limit: 1000 }),
      ],
    });
    const users = Array.from({ length: 20 }, (_, i) => researcher(`racer-${i}`, { teamIds: [i < 10 ? 'team-a' : 'team-b'] }));
    const submissions = users.flatMap((principal) => Array.from({ length: 10 }, () => ({ principal, spec: spec() })));

    const results = await Promise.all(submissions.map((command) => submitJob(command, deps)));
    await Promise.all([runSchedulerPass(deps), runSchedulerPass(deps), runSchedulerPass(deps)]);

    const stored = await Promise.all(results.map(async ({ job }) => (await jobs.get(job.id)) as Job));
    const admitted = stored.filter((job) => job.state === 'admitted');
    expect(admitted).toHaveLength(37);
    expect(stored.filter((job) => job.state === 'queued')).toHaveLength(163);
    expect(admitted.filter((job) => job.teamId === 'team-a')).toHaveLength(25);
    expect(admitted.filter((job) => job.teamId === 'team-b')).toHaveLength(12);
    const perUser = new Map<string, number>();
    for (const job of admitted) perUser.set(job.ownerId, (perUser.get(job.ownerId) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(3);
    expect(new Set((await outbox.dispatched()).filter((m) => m.action === 'launch').map((m) => m.jobId)).size).toBe(37);

    // Every counter equals the sum of what the live (admitted) jobs hold.
    const held = new Map<string, number>();
    for (const job of admitted) for (const hold of job.holds) held.set(hold.counter, (held.get(hold.counter) ?? 0) + hold.amount);
    const counters = await jobs.readCounters([...held.keys()]);
    expect(counters).toEqual(Object.fromEntries(held));
    expect(counters['concurrent_jobs:ORG#acme#TEAM#team-a']).toBe(25);
    expect(counters['concurrent_jobs:ORG#acme']).toBe(37);

    // The waiting jobs say which quota holds them back.
    const waiting = stored.filter((job) => job.state === 'queued').map((job) => job.waiting?.code);
    expect(new Set(waiting)).toEqual(new Set(['quota_full']));

    // End every admitted job twice, concurrently (a duplicated end event): counters return to zero.
    const fresh = await Promise.all(admitted.map(async (job) => (await jobs.get(job.id)) as Job));
    const ends = await Promise.all(fresh.flatMap((job) => [endJob(job, 'cancelled', {}, deps), endJob(job, 'cancelled', {}, deps)]));
    expect(ends.filter(Boolean)).toHaveLength(37);
    const after = await jobs.readCounters([...held.keys()]);
    expect(Object.values(after).every((value) => value === 0)).toBe(true);
  }, 180_000); // 200 transactions against one emulator: seconds alone, minutes on a loaded 2-core machine
});

/**
 * The global limit is sharded (docs/scheduling.md, "No deployment-wide item on the admission path"): 20
 * orgs submit 10 jobs each at once against `max_concurrent` 37, with no other limit in the way. The shards'
 * conditional updates must still admit exactly 37 — never more, and none left unused while jobs wait.
 */
describe('global concurrency race: 200 parallel submissions of 20 orgs against max_concurrent 37 (DynamoDB Local)', () => {
  it('admits exactly 37 over the shards, each shard within its part, and gives every shard back at the end', async () => {
    const { jobs, deps, outbox } = await admissionWorld({
      limits: { maxConcurrent: 37, userMaxConcurrent: 1000 },
      quotaCacheMs: 60_000,
      clock: systemClock,
    });
    const submissions = Array.from({ length: 200 }, (_, i) => ({
      principal: researcher(`racer-${i % 40}`, { orgId: `org-${i % 20}`, teamIds: ['t'] }),
      spec: spec(),
    }));

    const results = await Promise.all(submissions.map((command) => submitJob(command, deps)));
    const atSubmit = results.filter(({ job }) => job.state === 'admitted').length;
    await Promise.all([runSchedulerPass(deps), runSchedulerPass(deps)]);

    const stored = await Promise.all(results.map(async ({ job }) => (await jobs.get(job.id)) as Job));
    const admitted = stored.filter((job) => job.state === 'admitted');
    expect(admitted).toHaveLength(37);
    expect(atSubmit).toBeLessThanOrEqual(37);
    expect(new Set((await outbox.dispatched()).filter((m) => m.action === 'launch').map((m) => m.jobId)).size).toBe(37);
    const queued = stored.filter((job) => job.state === 'queued');
    expect(queued).toHaveLength(163);
    expect(new Set(queued.map((job) => job.waiting?.code))).toEqual(new Set(['global_concurrency']));

    // Each admitted job holds exactly one shard; each shard equals its holders and stays within its part.
    const shardOf = (job: Job) => job.holds.filter((hold) => isGlobalShard(hold.counter)).map((hold) => hold.counter);
    expect(admitted.every((job) => shardOf(job).length === 1)).toBe(true);
    const values = await jobs.readCounters([...GLOBAL_SHARD_COUNTERS, GLOBAL_CONCURRENCY]);
    expect(values[GLOBAL_CONCURRENCY]).toBe(37);
    GLOBAL_SHARD_COUNTERS.forEach((counter, shard) => {
      expect(values[counter]).toBe(admitted.filter((job) => shardOf(job)[0] === counter).length);
      expect(values[counter]).toBeLessThanOrEqual(shardLimit(shard, 37));
    });

    // Ended twice each, concurrently: every shard returns to zero, and the freed room admits the next 37.
    const ends = await Promise.all(admitted.flatMap((job) => [endJob(job, 'cancelled', {}, deps), endJob(job, 'cancelled', {}, deps)]));
    expect(ends.filter(Boolean)).toHaveLength(37);
    expect(Object.values(await jobs.readCounters(GLOBAL_SHARD_COUNTERS)).every((value) => value === 0)).toBe(true);
    expect((await runSchedulerPass(deps)).admitted).toHaveLength(37);
  }, 180_000);
});
