import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import type { Principal } from '#domain/authz/principal';
import { type Job } from '#domain/jobs/job.schema';
import { runSchedulerPass } from '#domain/job-flow/scheduler.service';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { queueDepth } from '#domain/quotas/counters';
import { fairShareRecord } from '#domain/scheduling/fair-share';
import { orderQueue } from '#domain/scheduling/queue-order';
import { DEFAULT_SCHEDULING } from '#domain/scheduling/scheduling-settings';
import { progress } from './bench-env';
import { parallel, withAdmissionWorld } from './admission-world';
import { replayTrace } from './scheduler-trace';

const QUEUED = 1_000;
const TEAMS = 20;
const SUBMISSIONS = 240;
const WORKERS = 8;
const ROUNDS = 3;
/** Issue 19's goal for one scheduler pass (Kueue's own integration benchmark: ≈ 43 admissions/s). */
const ADMISSIONS_PER_SECOND_GOAL = 200;

/**
 * The fair queue (issue 19), on DynamoDB Local with the real scheduler pass and submit path:
 * - one pass admitting 1,000 queued jobs of 20 teams (ranking with fair-share records, one transaction per
 *   admission), in one process, as the scheduler function runs;
 * - submissions from 20 orgs at once against one org alone, with another org's job waiting on its quota
 *   (per-org queue depth: nobody else is sent to the queue);
 * - a replayed synthetic trace (scheduler-trace.ts): Jain's index, waits and ETA error against FIFO.
 */
export async function run(): Promise<Record<string, unknown>> {
  return withAdmissionWorld('qm-bench-scheduler', async ({ doc, table, jobs, deps, spec }) => {
    progress(`scheduler: queueing ${QUEUED} jobs of ${TEAMS} teams`);
    const now = Date.now();
    for (let i = 0; i < QUEUED; i += 1) {
      const at = new Date(now - (QUEUED - i) * 1_000).toISOString();
      const job: Job = {
        schemaVersion: 1,
        id: deps.ids.next(),
        orgId: 'bench-org',
        ownerId: `user-${i % 60}`,
        teamId: `team-${i % TEAMS}`,
        spec,
        backend: 'ecs',
        state: 'queued',
        priorityClass: 20,
        estimatedCostUsd: 0.2,
        gpuCount: 1,
        createdAt: at,
        updatedAt: at,
        history: [{ state: 'queued', at }],
        holds: [],
        version: 1,
      };
      await jobs.create(job, undefined, [{ counter: queueDepth(job.orgId), amount: 1 }]);
    }
    // Every team has some recent usage, so ranking reads and decays 20 team and 60 user records.
    for (let t = 0; t < TEAMS; t += 1) {
      const day = new Date(now).toISOString().slice(0, 10);
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `COUNTER#${fairShareRecord({ type: 'team', orgId: 'bench-org', id: `team-${t}` })}`, sk: 'COUNTER' },
          UpdateExpression: 'ADD #d :h',
          ExpressionAttributeNames: { '#d': `d${day}` },
          ExpressionAttributeValues: { ':h': t * 3 },
        }),
      );
    }
    const queued = (await jobs.listByState('queued', { limit: QUEUED })).items;
    const rankStarted = performance.now();
    orderQueue(queued, { now: new Date(), settingsOf: () => DEFAULT_SCHEDULING, usage: {} });
    const rankMs = performance.now() - rankStarted;

    progress('scheduler: one pass over the queue');
    const writes = timedWrites(jobs);
    const passStarted = performance.now();
    const pass = await runSchedulerPass({ ...deps, jobs: writes.jobs, maxJobsPerPass: QUEUED });
    const passSeconds = (performance.now() - passStarted) / 1000;
    const admissionsPerSecond = pass.admitted.length / passSeconds;

    progress('scheduler: 20 orgs at once vs one org alone');
    const waitingOrg: Principal = {
      userId: 'waiter',
      orgId: 'busy-org',
      level: 'researcher',
      platformAdmin: false,
      teamIds: ['t'],
      authMethod: 'session',
    };
    await deps.scheduling.put('busy-org', { ...DEFAULT_SCHEDULING, paused: true }); // its job waits: its queue is not empty
    await submitJob({ principal: waitingOrg, spec }, deps);
    const principal = (i: number, orgs: number, round: number): Principal => ({
      userId: `sub-${orgs}-${round}-${i}`,
      orgId: `org-${orgs}-${i % orgs}`,
      level: 'researcher',
      platformAdmin: false,
      teamIds: [`team-${i % TEAMS}`],
      authMethod: 'session',
    });
    // Alternated rounds: DynamoDB Local slows as the table grows, which must not favour either side.
    const rounds: Record<'oneOrg' | 'twentyOrgs', { perSecond: number; admitted: number }[]> = { oneOrg: [], twentyOrgs: [] };
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [name, orgs] of [
        ['oneOrg', 1],
        ['twentyOrgs', 20],
      ] as const) {
        const measured = await parallel(SUBMISSIONS, WORKERS, (i) => submitJob({ principal: principal(i, orgs, r), spec }, deps));
        rounds[name].push({ perSecond: measured.perSecond, admitted: measured.results.filter((x) => x.job.state === 'admitted').length });
      }
    }
    const summary = (name: 'oneOrg' | 'twentyOrgs') => ({
      admissionsPerSecondMedian: round(median(rounds[name].map((x) => x.perSecond))),
      perRound: rounds[name].map((x) => round(x.perSecond)),
      admittedAtSubmit: rounds[name].reduce((sum, x) => sum + x.admitted, 0),
      submitted: SUBMISSIONS * ROUNDS,
    });

    progress('scheduler: synthetic trace, fair share vs FIFO');
    const trace = replayTrace();

    return {
      method: `DynamoDB Local; one scheduler pass in this process; submissions ${WORKERS} in parallel`,
      pass: {
        queued: QUEUED,
        teams: TEAMS,
        admitted: pass.admitted.length,
        seconds: round(passSeconds),
        admissionsPerSecond: round(admissionsPerSecond),
        goal: ADMISSIONS_PER_SECOND_GOAL,
        withinBudget: admissionsPerSecond >= ADMISSIONS_PER_SECOND_GOAL,
        rankingMsFor1000: round(rankMs),
        // Where the pass's time goes: its admission transactions (several jobs each) against everything else.
        transactions: writes.count,
        jobsPerTransaction: round(pass.admitted.length / Math.max(1, writes.count)),
        msPerTransaction: round(writes.ms / Math.max(1, writes.count)),
        secondsOutsideTransactions: round(passSeconds - writes.ms / 1000),
      },
      submissions: {
        oneOrg: summary('oneOrg'),
        twentyOrgs: summary('twentyOrgs'),
        note: "another org's job waits throughout; with per-org queue depth it sends nobody else to the queue",
      },
      trace,
    };
  });
}

/** The job store with its admission writes (`save`, `saveAll`) counted and timed. */
function timedWrites(jobs: DynamoJobRepository) {
  const stats = { count: 0, ms: 0 };
  const timed = Object.create(jobs) as DynamoJobRepository;
  const time = async <T>(write: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await write();
    } finally {
      stats.count += 1;
      stats.ms += performance.now() - started;
    }
  };
  timed.save = (...args) => time(() => jobs.save(...args));
  timed.saveAll = (...args) => time(() => jobs.saveAll(...args));
  return {
    jobs: timed,
    get count() {
      return stats.count;
    },
    get ms() {
      return stats.ms;
    },
  };
}

const round = (value: number): number => Math.round(value * 100) / 100;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
