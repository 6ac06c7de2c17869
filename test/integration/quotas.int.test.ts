import { describe, expect, it } from 'vitest';
import { DynamoUsageRepository } from '#adapters/dynamodb/dynamo-usage.repository';
import { explainJob } from '#domain/job-flow/explain-job.service';
import { endJob } from '#domain/job-flow/job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { myLimits } from '#domain/quotas/limits-view.service';
import { createQuota, updateQuota } from '#domain/quotas/quota.service';
import type { Quota } from '#domain/quotas/quota.schema';
import { costLimitStatus, usageReport } from '#domain/quotas/usage.service';
import { manualClock, researcher, spec } from '#test-support/job-fixtures';
import { quota, seedScopes } from '#test-support/quota-fixtures';
import { admissionWorld, startAsDispatcher } from '#test-support/admission-world';

const admin = researcher('boss', { level: 'admin' });

async function setup(quotaList: Quota[] = [], start = '2026-11-22T10:00:00.000Z') {
  const world = await admissionWorld({
    limits: { maxConcurrent: 100, userMaxConcurrent: 50 },
    quotas: quotaList,
    clock: manualClock(start),
  });
  const { table, jobs, quotas, clock, outbox } = world;
  const deps = {
    ...world.deps,
    usage: new DynamoUsageRepository(table.doc, table.tableName),
    ...(await seedScopes(table, 'acme', { teams: ['vision'], users: ['rae'] })),
  };
  /** Moves an admitted job to running "now", as the dispatcher would. */
  const start_ = (job: Job): Promise<Job> => startAsDispatcher(jobs, job, clock.now().toISOString());
  return { table, jobs, quotas, clock, outbox, deps, start: start_ };
}

describe('quota ceilings (docs/quotas.md)', () => {
  it('refuses a team quota above the org ceiling with 400 on body.limit, and lowering the org ceiling rewrites nothing', async () => {
    const env = await setup();
    const org = await createQuota(admin, { metric: 'concurrent_gpus', scopeType: 'org', limit: 16 }, env.deps);
    await expect(
      createQuota(admin, { metric: 'concurrent_gpus', scopeType: 'team', scopeId: 'vision', limit: 32 }, env.deps),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ field: 'body.limit' }] },
    });
    const team = await createQuota(admin, { metric: 'concurrent_gpus', scopeType: 'team', scopeId: 'vision', limit: 8 }, env.deps);
    await updateQuota(admin, org.id, { limit: 4 }, env.deps);
    expect((await env.quotas.get('acme', team.id))?.limit).toBe(8);
    await expect(createQuota(researcher(), { metric: 'concurrent_gpus', scopeType: 'org', limit: 1 }, env.deps)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('shows each applicable limit and the effective headroom: org 100, team 20, user 50 → 20', async () => {
    const env = await setup([
      quota({ metric: 'concurrent_jobs', scopeType: 'org', limit: 100 }),
      quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 20 }),
      quota({ metric: 'concurrent_jobs', scopeType: 'user', scopeId: 'rae', limit: 50 }),
      quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'other-team', limit: 1 }),
    ]);
    await submitJob({ principal: researcher(), spec: spec() }, env.deps);
    const view = await myLimits(researcher(), env.deps);
    const effective = view.effective.find((e) => e.metric === 'concurrent_jobs');
    expect(effective?.headroom).toBe(19);
    expect(effective?.boundBy).toContain('team vision');
    expect(
      view.limits
        .filter((l) => l.source === 'quota')
        .map((l) => l.limit)
        .sort((a, b) => a - b),
    ).toEqual([20, 50, 100]);
  });

  it('holds a job back with the quota named, refuses one that could never fit, and writes nothing for it', async () => {
    const gpuCeiling = quota({ metric: 'concurrent_gpus', scopeType: 'org', limit: 1 });
    const env = await setup([gpuCeiling]);
    const first = await submitJob({ principal: researcher(), spec: spec() }, env.deps);
    const second = await submitJob({ principal: researcher(), spec: spec() }, env.deps);
    expect(first.job.state).toBe('admitted');
    expect(second.job.state).toBe('queued');
    expect(second.job.waiting).toMatchObject({ code: 'quota_full', quotaId: gpuCeiling.id });
    expect(second.job.waiting?.message).toContain('concurrent_gpus');

    await expect(submitJob({ principal: researcher('big'), spec: spec({ hardwareType: 'gpu-a100-8x' }) }, env.deps)).rejects.toMatchObject({
      code: 'unprocessable',
    });
    expect((await env.jobs.listByOwner('acme', 'big', { limit: 5 })).items).toHaveLength(0);

    // Room frees up: the scheduler admits the waiting job.
    const running = await env.start(first.job);
    await endJob(running, 'succeeded', { exitCode: 0 }, env.deps);
    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([second.job.id]);
  });
});

describe('budgets: reserve at admission, settle at the end (docs/quotas.md)', () => {
  const budgets = () => [
    quota({ metric: 'gpu_hours', period: 'day', scopeType: 'team', scopeId: 'vision', limit: 10 }),
    quota({ metric: 'cost_usd', period: 'month', scopeType: 'org', limit: 500 }),
  ];

  it('reserves max runtime × rate, settles to the actual runtime, and records the day’s usage', async () => {
    const env = await setup(budgets());
    const { job } = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    const gpuCounter = 'gpu_hours:day:2026-11-22:ORG#acme#TEAM#vision';
    const costCounter = 'cost_usd:month:2026-11:ORG#acme';
    expect(await env.jobs.readCounters([gpuCounter, costCounter])).toEqual({ [gpuCounter]: 1, [costCounter]: 1.01 });

    const running = await env.start(job);
    env.clock.advance(30 * 60_000);
    const ended = await endJob(running, 'succeeded', { exitCode: 0 }, env.deps);
    expect(ended?.state).toBe('succeeded');
    const settled = await env.jobs.readCounters([gpuCounter, costCounter]);
    expect(settled[gpuCounter]).toBeCloseTo(0.5, 6);
    expect(settled[costCounter]).toBeCloseTo(0.505, 6);
    // A second end (duplicated event) settles nothing more.
    expect(await endJob(running, 'succeeded', { exitCode: 0 }, env.deps)).toBeUndefined();
    expect((await env.jobs.readCounters([gpuCounter]))[gpuCounter]).toBeCloseTo(0.5, 6);

    const teamQuery = { scopeType: 'team' as const, scopeId: 'vision', from: '2026-11-01', to: '2026-11-30' };
    await expect(usageReport(researcher(), teamQuery, env.deps)).rejects.toMatchObject({ code: 'not_found' });
    expect((await usageReport(researcher(), { scopeType: 'user', from: '2026-11-22', to: '2026-11-22' }, env.deps)).total.jobs).toBe(1);
    const usage = await usageReport(researcher('lin', { level: 'lead' }), teamQuery, env.deps);
    expect(usage.total.jobs).toBe(1);
    expect(usage.total.gpuHours).toBeCloseTo(0.5, 4);
    expect(usage.days.map((d) => d.day)).toEqual(['2026-11-22']);
  });

  it('releases the whole reservation when a job is cancelled before it runs', async () => {
    const env = await setup(budgets());
    const { job } = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 120 }) }, env.deps);
    await endJob((await env.jobs.get(job.id))!, 'cancelled', {}, env.deps);
    const counters = await env.jobs.readCounters([
      'gpu_hours:day:2026-11-22:ORG#acme#TEAM#vision',
      'cost_usd:month:2026-11:ORG#acme',
      'concurrent_jobs:ORG#acme',
    ]);
    expect(Object.values(counters)).toEqual([0, 0, 0]);
  });

  it('rolls over with the period: a full day budget does not hold back the next day', async () => {
    const env = await setup(
      [quota({ metric: 'gpu_hours', period: 'day', scopeType: 'user', scopeId: 'rae', limit: 1 })],
      '2026-11-22T23:00:00.000Z',
    );
    const first = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    const blocked = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    expect(first.job.state).toBe('admitted');
    expect(blocked.job.waiting?.code).toBe('quota_full');
    env.clock.advance(90 * 60_000); // 00:30 the next day
    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([blocked.job.id]);
    const admitted = await env.jobs.get(blocked.job.id);
    expect(admitted?.holds.find((h) => h.kind === 'budget')?.counter).toBe('gpu_hours:day:2026-11-23:ORG#acme#USER#rae');
  });
});

describe('warn and notify quotas (docs/quotas.md)', () => {
  it('lets the job through with a warning in the response and quota/cost events on the bus', async () => {
    const env = await setup([
      quota({ metric: 'concurrent_jobs', scopeType: 'user', scopeId: 'rae', limit: 1, action: 'warn' }),
      quota({ metric: 'cost_usd', period: 'month', scopeType: 'org', limit: 1.2, action: 'notify' }),
    ]);
    const first = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    expect(first.warnings).toEqual([]);
    expect((await env.outbox.published()).map((e) => e.type)).toContain('cost.warning'); // 1.01 of 1.20 ≥ 80 %
    const second = await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    expect(second.job.state).toBe('admitted');
    expect(second.warnings[0]).toContain('concurrent_jobs');
    expect(second.job.quotaWarnings).toEqual(second.warnings);
    const published = await env.outbox.published();
    const types = published.map((e) => e.type);
    expect(types).toContain('quota.exceeded');
    expect(types).toContain('cost.exceeded');
    const exceeded = published.find((e) => e.type === 'quota.exceeded');
    expect(exceeded?.data).toMatchObject({ metric: 'concurrent_jobs', limit: 1, usage: 2, jobId: second.job.id });
  });
});

describe('explain: a dry run of submission', () => {
  it('gives the estimate, each limit with headroom, the verdict, and writes nothing', async () => {
    const env = await setup([quota({ metric: 'concurrent_gpus', scopeType: 'team', scopeId: 'vision', limit: 1 })]);
    const before = await explainJob(researcher(), spec({ maxRuntimeMinutes: 90 }), env.deps);
    expect(before.verdict).toBe('admit');
    expect(before.estimate).toMatchObject({ costUsd: 1.51, gpuHours: 1.5, gpuCount: 1 });
    expect(before.limits.find((l) => l.name.includes('concurrent_gpus'))).toMatchObject({ limit: 1, used: 0, after: 1, fits: true });
    expect((await env.jobs.listByOwner('acme', 'rae', { limit: 5 })).items).toHaveLength(0);
    expect(await env.outbox.published()).toHaveLength(0);

    await submitJob({ principal: researcher(), spec: spec() }, env.deps);
    const full = await explainJob(researcher(), spec(), env.deps);
    expect(full.verdict).toBe('queue');
    expect(full.reasons[0]).toContain('concurrent_gpus');
    const denied = await explainJob(researcher(), spec({ hardwareType: 'gpu-a100-8x' }), env.deps);
    expect(denied.verdict).toBe('deny');
    const viewer = await explainJob(researcher('v', { level: 'viewer' }), spec({ priority: 'high' }), env.deps);
    expect(viewer.verdict).toBe('deny');
  });

  it('reports per-backend cost limits with their status', async () => {
    const env = await setup([quota({ metric: 'cost_usd', period: 'month', scopeType: 'backend', scopeId: 'local', limit: 1.1 })]);
    await submitJob({ principal: researcher(), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps);
    const [status] = await costLimitStatus(researcher(), env.deps);
    expect(status).toMatchObject({ backend: 'local', used: 1.01, limit: 1.1, status: 'warning' });
  });
});

describe('counters and usage name the org: team slugs repeat across orgs (docs/permissions.md#tenancy)', () => {
  const globexResearcher = (userId: string) => researcher(userId, { orgId: 'globex' });

  it("does not fill acme's `vision` quota with globex's `vision` jobs, and each org's usage shows only its own", async () => {
    const env = await setup([quota({ metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 2 })]);
    const globexJobs = [];
    for (const user of ['gia', 'gus', 'gil']) {
      globexJobs.push((await submitJob({ principal: globexResearcher(user), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps)).job);
    }
    expect(globexJobs.map((j) => j.state)).toEqual(['admitted', 'admitted', 'admitted']);

    const acmeJobs = [];
    for (const user of ['rae', 'ray', 'rex']) {
      acmeJobs.push((await submitJob({ principal: researcher(user), spec: spec({ maxRuntimeMinutes: 60 }) }, env.deps)).job);
    }
    expect(acmeJobs.map((j) => j.state)).toEqual(['admitted', 'admitted', 'queued']);
    expect(acmeJobs[2]?.waiting?.code).toBe('quota_full');
    const acmeTeam = await env.jobs.readCounters(['concurrent_jobs:ORG#acme#TEAM#vision', 'concurrent_jobs:ORG#globex#TEAM#vision']);
    expect(acmeTeam).toEqual({ 'concurrent_jobs:ORG#acme#TEAM#vision': 2, 'concurrent_jobs:ORG#globex#TEAM#vision': 3 });
    const limits = await myLimits(researcher('rae'), env.deps);
    expect(limits.limits.find((l) => l.scopeType === 'team')).toMatchObject({ scopeId: 'vision', used: 2, headroom: 0 });

    // Run and end two of globex's jobs and one of acme's: each org's team report shows its own only.
    for (const job of [...globexJobs.slice(0, 2), acmeJobs[0]!]) {
      const running = await env.start(job);
      env.clock.advance(30 * 60_000);
      await endJob(running, 'succeeded', { exitCode: 0 }, env.deps);
    }
    const teamQuery = { scopeType: 'team' as const, scopeId: 'vision', from: '2026-11-22', to: '2026-11-22' };
    const acmeUsage = await usageReport(researcher('lin', { level: 'lead' }), teamQuery, env.deps);
    const globexUsage = await usageReport(researcher('gwen', { level: 'lead', orgId: 'globex' }), teamQuery, env.deps);
    expect(acmeUsage.total).toMatchObject({ jobs: 1, gpuHours: 0.5 });
    expect(globexUsage.total).toMatchObject({ jobs: 2, gpuHours: 1 });
    const orgQuery = { scopeType: 'org' as const, from: '2026-11-22', to: '2026-11-22' };
    expect((await usageReport(researcher('boss', { level: 'admin' }), orgQuery, env.deps)).total.jobs).toBe(1);
    expect((await usageReport(researcher('gabe', { level: 'admin', orgId: 'globex' }), orgQuery, env.deps)).total.jobs).toBe(2);

    // The freed acme slot admits acme's waiting job; globex's running job changed nothing for acme.
    const pass = await runSchedulerPass(env.deps);
    expect(pass.admitted).toEqual([acmeJobs[2]!.id]);
  });
});
