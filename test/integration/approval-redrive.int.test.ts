import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalRedrive } from '#functions/workflows/approval/approval-redrive.app';
import { actorId } from '#test-support/authz-fixtures';
import { createApprovalsWorld, type ApprovalsWorld } from '#test-support/approvals-world';
import { ORGS } from '#test-support/authz-world';

/**
 * The deployed re-drive (the scheduled approval-redrive function's app) against DynamoDB Local, with the
 * flow run locally from the synthesized definition standing in for Step Functions: a request whose flow
 * never started, or whose execution ended while it waits, gets a running flow again, announced once.
 */
let env: ApprovalsWorld;
const admin = actorId('admin');
const lead = actorId('lead');
const researcher = actorId('researcher');
const logged: Array<Record<string, unknown>> = [];
let redrive: ReturnType<typeof createApprovalRedrive>;

beforeAll(async () => {
  env = await createApprovalsWorld();
  redrive = createApprovalRedrive({
    jobs: env.world.jobs,
    // The runner in use now (a restart replaces it).
    flows: { start: (request) => env.flows.start(request), runningApprovalIds: () => env.flows.runningApprovalIds() },
    logger: { info: (_message: string, details: Record<string, unknown>) => void logged.push(details) },
  });
  const rule = await env.call(admin, 'createApprovalRule', {
    body: { name: 'high_cost', condition: 'cost_exceeds', threshold: '50', required_approver_level: 'lead', exempt_levels: ['admin'] },
  });
  expect(rule.status).toBe(201);
}, 120_000);
afterAll(async () => env?.stop());

const bigJob = { name: 'redrive-me', image: 'busybox', command: ['true'], hardwareType: 'gpu-a100-8x', maxRuntimeMinutes: 110 };
const announcements = async (approvalId: string) =>
  (await env.published()).filter((event) => event.type === 'approval.required' && event.data.approvalId === approvalId).length;

describe('approval re-drive on a schedule', () => {
  let approvalId: string;
  let jobId: string;

  it('starts the flow of a held job whose start failed, once; a second pass starts nothing', async () => {
    env.failFlowStarts(true);
    const failedBefore = env.failedStarts;
    const held = await env.call(researcher, 'submitJob', { body: bigJob });
    // The bridge tries the start after the submission answered: wait for that (failing) attempt.
    await waitFor(async () => env.failedStarts > failedBefore);
    env.failFlowStarts(false);
    expect(held.json.state).toBe('pending_approval');
    approvalId = held.json.approval.id;
    jobId = held.json.id;
    expect(env.flows.isRunning(approvalId)).toBe(false);
    expect((await env.approvals.get(ORGS.acme, approvalId))!.taskToken).toBeUndefined();

    const first = await redrive();
    expect(first.started).toBe(1);
    expect(logged.at(-1)).toEqual({ started: 1 });
    expect(env.flows.isRunning(approvalId)).toBe(true);
    await waitFor(async () => (await env.approvals.get(ORGS.acme, approvalId))?.taskToken !== undefined);
    expect(await announcements(approvalId)).toBe(1);

    expect((await redrive()).started).toBe(0);
  });

  it('starts it again when its execution ended while the request still waits, without announcing it twice', async () => {
    await env.flows.stop();
    expect(env.flows.isRunning(approvalId)).toBe(false);
    expect((await redrive()).started).toBe(1);
    await waitFor(async () => env.flows.isRunning(approvalId));
    // The new execution stores its own token; the decision then ends that wait.
    await waitFor(async () => (await env.approvals.get(ORGS.acme, approvalId))?.taskToken !== undefined);
    expect(await announcements(approvalId)).toBe(1);
    expect((await env.call(lead, 'approveApproval', { params: { id: approvalId }, body: {} })).status).toBe(200);
    expect((await env.call(researcher, 'getJob', { params: { id: jobId } })).json.state).toBe('queued');
    await env.flows.settled(approvalId);
    expect(env.flows.isRunning(approvalId)).toBe(false);
    // Decided: nothing left to re-drive.
    expect((await redrive()).started).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
