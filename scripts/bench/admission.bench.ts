import { round } from './stats';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#domain/authz/principal';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { progress } from './bench-env';
import { parallel, withAdmissionWorld } from './admission-world';

/** Parallel callers, as many concurrent Lambda invocations would be. */
const WORKERS = 8;
const OPERATIONS = 240;

/**
 * Admission throughput (issue 5): admissions per second through the real submit path (draft, plan, one
 * TransactWriteItems with every counter and its ceiling) on DynamoDB Local, divided by a bare conditional
 * `UpdateItem` loop on one item with the same parallelism, in the same run. "Hot team": every job charges
 * one team, so its team, org and user counters contend. "Uncontended": each job has its own org, team and
 * user; only the deployment-wide concurrency counter is shared (it is by design).
 */
export async function run(): Promise<Record<string, unknown>> {
  return withAdmissionWorld('qm-bench-admission', async ({ doc, table, deps, spec }) => {
    const principal = (i: number, hot: boolean): Principal => ({
      userId: hot ? `hot-user-${i % WORKERS}` : `user-${i}`,
      orgId: hot ? 'hot-org' : `org-${i}`,
      level: 'researcher',
      platformAdmin: false,
      teamIds: [hot ? 'hot-team' : `team-${i}`],
      authMethod: 'session',
    });

    progress('admission: warm-up');
    await parallel(WORKERS, WORKERS, (i) => submitJob({ principal: principal(i, false), spec }, deps));

    progress('admission: bare conditional-update loop on one item');
    const bare = await parallel(OPERATIONS, WORKERS, () =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: 'BENCH#bare', sk: 'COUNTER' },
          UpdateExpression: 'ADD #v :one',
          ConditionExpression: 'attribute_not_exists(#v) OR #v < :max',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: { ':one': 1, ':max': 1_000_000_000 },
        }),
      ),
    );
    progress('admission: hot team');
    const hot = await parallel(OPERATIONS, WORKERS, (i) => submitJob({ principal: principal(i, true), spec }, deps));
    progress('admission: uncontended tenants');
    const cold = await parallel(OPERATIONS, WORKERS, (i) => submitJob({ principal: principal(i + 10_000, false), spec }, deps));

    const admittedHot = hot.results.filter((r) => r.job.state === 'admitted').length;
    const admittedCold = cold.results.filter((r) => r.job.state === 'admitted').length;
    return {
      method: `${OPERATIONS} operations, ${WORKERS} in parallel, DynamoDB Local; ops/s = operations ÷ wall time`,
      bareConditionalUpdatePerSecond: round(bare.perSecond),
      hotTeam: { admissionsPerSecond: round(hot.perSecond), admitted: admittedHot, ratioToBare: round(hot.perSecond / bare.perSecond) },
      uncontendedTenants: {
        admissionsPerSecond: round(cold.perSecond),
        admitted: admittedCold,
        ratioToBare: round(cold.perSecond / bare.perSecond),
      },
      note: 'An admission is a key-only queue read plus one transaction writing the job and updating 6-8 counters with their ceilings; the bare loop is one single-item update.',
    };
  });
}
