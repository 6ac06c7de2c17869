import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import * as keys from '#adapters/dynamodb/table-keys';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { endJob } from '#domain/job-flow/job-ending';
import type { Job } from '#domain/jobs/job.schema';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import type { Quota } from '#domain/quotas/quota.schema';
import { moveToFront, setPaused } from '#domain/scheduling/queue-admin.service';
import { viewQueue } from '#domain/scheduling/queue-view.service';
import { migrateEstimateBasis } from '#scripts/migrate/estimate-basis';
import { manualClock, researcher, spec } from '#test-support/job-fixtures';
import { quota } from '#test-support/quota-fixtures';
import { admissionWorld, startAsDispatcher } from '#test-support/admission-world';

async function setup(limits: { maxConcurrent: number; userMaxConcurrent: number }, quotaList: Quota[] = []) {
  const world = await admissionWorld({ limits, quotas: quotaList, clock: manualClock('2026-12-06T09:00:00.000Z') });
  const { jobs, clock, table } = world;
  const deps = { ...world.deps, teams: new DynamoTenancyRepository(table.doc, table.tableName) };
  const run = (job: Job): Promise<Job> => startAsDispatcher(jobs, job, clock.now().toISOString());
  const submit = async (userId: string, minutes: number, overrides: Parameters<typeof researcher>[1] = {}) =>
    (await submitJob({ principal: researcher(userId, overrides), spec: spec({ maxRuntimeMinutes: minutes }) }, deps)).job;
  return { jobs, deps, clock, run, submit, table };
}

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const T = '2026-12-06T09:00:00.000Z';

describe('position and estimated start for each waiting reason (DynamoDB Local)', () => {
  it('global concurrency: starts follow the running jobs’ max runtimes, then the ones ahead', async () => {
    const env = await setup({ maxConcurrent: 2, userMaxConcurrent: 10 });
    await env.run(await env.submit('a1', 60));
    await env.run(await env.submit('a2', 120));
    const waiting = [await env.submit('w1', 30), await env.submit('w2', 30), await env.submit('w3', 30)];
    await runSchedulerPass(env.deps);
    const reasons = await Promise.all(waiting.map(async (j) => (await env.jobs.get(j.id))!.waiting!));
    expect(reasons.map((r) => [r.code, r.position, r.limitPosition])).toEqual([
      ['global_concurrency', 1, 1],
      ['global_concurrency', 2, 2],
      ['global_concurrency', 3, 3],
    ]);
    expect(reasons.map((r) => r.estimatedStart?.at)).toEqual([at(T, 60), at(T, 90), at(T, 120)]);
    expect(reasons[0]!.estimatedStart).toMatchObject({ basis: 'max_runtime' });
    expect(reasons[0]!.estimatedStart!.detail).toContain('expected ends of the 2 active jobs holding the global max_concurrent');
  });

  it('run history: a user whose recent runs of the job used half their max runtime gets an earlier, history-based estimate', async () => {
    const env = await setup({ maxConcurrent: 1, userMaxConcurrent: 10 });
    for (const minutes of [28, 33]) {
      const done = await env.run(await env.submit('hal', 60));
      env.clock.advance(minutes * 60_000);
      await endJob(done, 'succeeded', { exitCode: 0 }, env.deps); // 47 % and 55 % of 60 min: the 40-50 % and 50-60 % tenths
    }
    const cancelled = await env.run(await env.submit('hal', 60));
    env.clock.advance(5 * 60_000);
    await endJob(cancelled, 'cancelled', {}, env.deps); // a cancel is no run history
    const started = env.clock.now().toISOString();
    await env.run(await env.submit('hal', 60));
    const first = await env.submit('wes', 60);
    const second = await env.submit('wes', 60);
    await runSchedulerPass(env.deps);

    // hal's median tenth is 40-50 %: expected to end 27 min after its start (not 60); wes has no history.
    const one = (await env.jobs.get(first.id))!.waiting!;
    const two = (await env.jobs.get(second.id))!.waiting!;
    expect(one.estimatedStart).toMatchObject({ at: at(started, 27), basis: 'history' });
    expect(one.estimatedStart!.detail).toContain('1 from their recent runs, 0 from max runtime');
    expect(two.estimatedStart).toMatchObject({ at: at(started, 27 + 60), basis: 'history' });
    expect(two.estimatedStart!.detail).toContain('1 from their recent runs, 1 from max runtime');
  });

  it('migrates an estimate stored before bases were named: max_runtime or period_reset, its text as the detail', async () => {
    const env = await setup({ maxConcurrent: 1, userMaxConcurrent: 10 });
    await env.run(await env.submit('a1', 60));
    const [maxed, reset] = [await env.submit('w1', 30), await env.submit('w2', 30)];
    const legacy = {
      [maxed.id]: { at: at(T, 60), basis: 'max runtime of the 1 active jobs holding the global max_concurrent' },
      [reset.id]: { at: '2026-12-07T00:00:00.000Z', basis: 'quota x resets at 2026-12-07T00:00:00.000Z (day period)' },
    };
    for (const [id, estimatedStart] of Object.entries(legacy)) {
      await env.table.doc.send(
        new UpdateCommand({
          TableName: env.table.tableName,
          Key: keys.job(id),
          UpdateExpression: 'SET waiting.estimatedStart = :e',
          ExpressionAttributeValues: { ':e': estimatedStart },
        }),
      );
    }
    expect(await migrateEstimateBasis(env.table.doc, env.table.tableName)).toEqual({ skipped: false, jobs: 2 });
    expect((await env.jobs.get(maxed.id))!.waiting!.estimatedStart).toEqual({
      at: at(T, 60),
      basis: 'max_runtime',
      detail: legacy[maxed.id]!.basis,
    });
    expect((await env.jobs.get(reset.id))!.waiting!.estimatedStart).toMatchObject({ basis: 'period_reset' });
    expect(await migrateEstimateBasis(env.table.doc, env.table.tableName)).toMatchObject({ skipped: true });
  });

  it('user concurrency and a budget quota: the user’s running job, and the period reset', async () => {
    const env = await setup({ maxConcurrent: 100, userMaxConcurrent: 1 }, [
      quota({ metric: 'gpu_hours', period: 'day', scopeType: 'team', scopeId: 'vision', limit: 2 }),
    ]);
    const robotics = { teamIds: ['robotics'] };
    await env.run(await env.submit('uma', 45, robotics));
    const budget = await env.submit('bea', 60); // 1 of vision's day budget of 2 GPU-hours
    await env.submit('bev', 60); // 2 of 2
    const over = await env.submit('bob', 60);
    const mine = await env.submit('uma', 30, robotics);
    await runSchedulerPass(env.deps);
    const user = (await env.jobs.get(mine.id))!.waiting!;
    expect(user).toMatchObject({ code: 'user_concurrency', position: 2, limitPosition: 1, estimatedStart: { at: at(T, 45) } });
    expect(budget.state).toBe('admitted');
    const quotaWait = (await env.jobs.get(over.id))!.waiting!;
    expect(quotaWait).toMatchObject({ code: 'quota_full', estimatedStart: { at: '2026-12-07T00:00:00.000Z' } });
    expect(quotaWait.estimatedStart).toMatchObject({ basis: 'period_reset' });
    expect(quotaWait.estimatedStart!.detail).toContain('resets');
  });

  it('paused: the reason and the position, no estimate', async () => {
    const env = await setup({ maxConcurrent: 10, userMaxConcurrent: 10 });
    await setPaused(researcher('boss', { level: 'admin' }), true, undefined, env.deps);
    const job = await env.submit('pia', 30);
    await runSchedulerPass(env.deps);
    const waiting = (await env.jobs.get(job.id))!.waiting!;
    expect(waiting).toMatchObject({ code: 'queue_paused', position: 1 });
    expect(waiting.estimatedStart).toBeUndefined();
  });
});

describe('GET /v1/queue and move to front (DynamoDB Local)', () => {
  it('shows own jobs to a researcher, others anonymized at org scope, the team to a lead, everything to an admin', async () => {
    const env = await setup({ maxConcurrent: 1, userMaxConcurrent: 10 });
    await env.run(await env.submit('fill', 60));
    const mine = await env.submit('rae', 30);
    const theirs = await env.submit('ray', 30);
    const robotics = await env.submit('rob', 30, { teamIds: ['robotics'] });
    await runSchedulerPass(env.deps);

    const own = await viewQueue(researcher('rae'), {}, env.deps);
    expect(own).toMatchObject({ scope: 'own', total: 1, items: [{ id: mine.id, rank: 1, anonymized: false }] });
    expect(own.items[0]!.waiting?.estimatedStart?.at).toBe(at(T, 60));

    const org = await viewQueue(researcher('rae'), { scope: 'org' }, env.deps);
    expect(org.items.map((i) => [i.rank, i.anonymized, i.id])).toEqual([
      [1, false, mine.id],
      [2, true, undefined],
      [3, true, undefined],
    ]);
    expect(JSON.stringify(org.items[1])).not.toContain('ray');
    expect(org.items[1]!.waiting).toMatchObject({ code: 'global_concurrency', position: 2 });

    const lead = await viewQueue(researcher('lin', { level: 'lead' }), {}, env.deps);
    expect(lead).toMatchObject({ scope: 'team', teamId: 'vision', total: 2 });
    expect(lead.items.map((i) => i.id)).toEqual([mine.id, theirs.id]);
    const admin = await viewQueue(researcher('boss', { level: 'admin' }), {}, env.deps);
    expect(admin.items.map((i) => i.id)).toEqual([mine.id, theirs.id, robotics.id]);
    await expect(viewQueue(researcher('rae'), { scope: 'team', teamId: 'robotics' }, env.deps)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(viewQueue(researcher('boss', { level: 'admin' }), { scope: 'team', teamId: 'nope' }, env.deps)).rejects.toMatchObject({
      code: 'not_found',
    });

    const moved = await moveToFront(researcher('boss', { level: 'admin' }), robotics.id, env.deps);
    expect(moved.movedToFrontAt).toBeDefined();
    expect((await viewQueue(researcher('boss', { level: 'admin' }), {}, env.deps)).items[0]!.id).toBe(robotics.id);
    await expect(moveToFront(researcher('gabe', { level: 'admin', orgId: 'globex' }), mine.id, env.deps)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      moveToFront(researcher('boss', { level: 'admin' }), (await env.submit('late', 5, { level: 'admin' })).id, env.deps),
    ).rejects.toMatchObject({
      code: 'invalid_state', // admins bypass the queue: that job was admitted at once
    });
  });
});
