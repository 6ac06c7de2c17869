import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_FLOW_SIGNAL_EVENT } from '#domain/approvals/approval-flow-signal';
import { createApprovalBridge } from '#functions/workflows/approval/approval-bridge.app';
import { ulid } from 'ulid';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { jobSpecSchema, type Job } from '#domain/jobs/job.schema';
import { APPROVAL_FLOW_STATES as S } from '#lib/constructs/approval-flow';
import { actorId } from '#test-support/authz-fixtures';
import { createApprovalsWorld, type ApprovalsWorld } from '#test-support/approvals-world';
import { ORGS, TEAMS } from '#test-support/authz-world';

/**
 * The approval state machine's four paths (approve, reject, escalate then approve, expire), executed
 * locally from the definition CDK synthesizes, its task states calling the real step function against
 * DynamoDB Local; then the exactly-once cases: decisions delivered twice, a used token, a decision after
 * the expiry, a crash between "decision stored" and SendTaskSuccess, and a restart of the runner.
 */
let env: ApprovalsWorld;
const lead = actorId('lead');
const requester = actorId('researcher');

beforeAll(async () => {
  env = await createApprovalsWorld();
}, 120_000);
afterAll(async () => env?.stop());

/** A job held for approval, escalating and expiring after the given delays, stored as a submission stores it. */
async function hold(escalateInMs: number, expireInMs: number): Promise<{ job: Job; request: ApprovalRequest }> {
  const now = Date.now();
  const at = new Date(now).toISOString();
  const escalateAt = new Date(now + escalateInMs).toISOString();
  const expireAt = new Date(now + expireInMs).toISOString();
  const id = ulid();
  const approval = {
    id,
    ruleId: 'r1',
    ruleName: 'high_cost',
    reason: 'test',
    requiredLevel: 'lead',
    escalationLevel: 'admin',
    escalateAt,
    expireAt,
  };
  const job: Job = {
    schemaVersion: 1,
    id: ulid(),
    orgId: ORGS.acme,
    ownerId: requester,
    ownerLevel: 'researcher',
    teamId: TEAMS.vision,
    spec: jobSpecSchema.parse({ name: 'flow', image: 'busybox', command: ['true'], hardwareType: 'gpu-a100-8x', maxRuntimeMinutes: 110 }),
    backend: 'local',
    state: 'pending_approval',
    waiting: { code: 'awaiting_approval', message: 'test' },
    priorityClass: 20,
    estimatedCostUsd: 60.08,
    gpuCount: 8,
    createdAt: at,
    updatedAt: at,
    history: [
      { state: 'submitted', at },
      { state: 'pending_approval', at },
    ],
    holds: [],
    approval,
    version: 1,
  };
  const request: ApprovalRequest = {
    schemaVersion: 1,
    id,
    orgId: ORGS.acme,
    jobId: job.id,
    jobName: 'flow',
    requesterId: requester,
    requesterLevel: 'researcher',
    teamId: TEAMS.vision,
    costUsd: 60.08,
    hardwareType: 'gpu-a100-8x',
    ruleId: 'r1',
    ruleName: 'high_cost',
    reason: 'test',
    requiredLevel: 'lead',
    escalationLevel: 'admin',
    state: 'pending',
    createdAt: at,
    escalateAt,
    expireAt,
    version: 1,
  };
  const created = await env.world.jobs.create(job, undefined, [], request);
  expect(created.ok).toBe(true);
  await env.flows.start(request);
  return { job, request };
}

const statesOf = (approvalId: string) => env.transitions.filter((t) => t.approvalId === approvalId).map((t) => t.state);
/** The domain events about a request (the internal flow signals to the bridge are asserted apart). */
const eventsOf = async (approvalId: string) =>
  (await env.published()).filter((e) => e.data.approvalId === approvalId && e.type !== APPROVAL_FLOW_SIGNAL_EVENT).map((e) => e.type);
const signalsOf = async (approvalId: string) =>
  (await env.published())
    .filter((e) => e.data.approvalId === approvalId && e.type === APPROVAL_FLOW_SIGNAL_EVENT)
    .map((e) => e.data.action);
const stored = (id: string) => env.approvals.get(ORGS.acme, id);
const jobState = async (id: string) => (await env.world.jobs.get(id))?.state;
const decide = (id: string, decision: 'approveApproval' | 'rejectApproval', caller = lead) =>
  env.call(caller, decision, { params: { id }, body: { comment: 'flow test' } });

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
const waiting = (id: string) => waitFor(async () => (await stored(id))?.taskToken !== undefined);

describe('the four paths, from the synthesized definition', () => {
  it('approve: RecordRequest → AwaitDecision, the job queued (2 transitions, the minimum)', async () => {
    const { job, request } = await hold(60_000, 120_000);
    await waiting(request.id);
    expect((await decide(request.id, 'approveApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(statesOf(request.id)).toEqual([S.record, S.await]);
    expect(await jobState(job.id)).toBe('queued');
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.granted']);
    // The decision asked the bridge to end the wait (the flow here was started directly, as the bridge starts it).
    expect(await signalsOf(request.id)).toEqual(['resume']);
  });

  it('reject: RecordRequest → AwaitDecision, the job rejected (2 transitions)', async () => {
    const { job, request } = await hold(60_000, 120_000);
    await waiting(request.id);
    expect((await decide(request.id, 'rejectApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(statesOf(request.id)).toEqual([S.record, S.await]);
    expect(await jobState(job.id)).toBe('rejected');
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.rejected']);
  });

  it('escalate then approve: no decision by the escalation time tells the next level up, and keeps waiting (4 transitions)', async () => {
    const { job, request } = await hold(1_000, 120_000);
    await waitFor(async () => (await stored(request.id))?.escalatedAt !== undefined && statesOf(request.id).includes(S.awaitEscalated));
    await waiting(request.id);
    const escalated = (await env.published()).find((e) => e.type === 'approval.escalated' && e.data.approvalId === request.id);
    expect(escalated?.data.approverLevel).toBe('admin');
    expect((await decide(request.id, 'approveApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(statesOf(request.id)).toEqual([S.record, S.await, S.escalate, S.awaitEscalated]);
    expect(await jobState(job.id)).toBe('queued');
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.escalated', 'approval.granted']);
  });

  it('expire: no decision by the expiry time ends request and job as expired (5 transitions); a late decision is 409', async () => {
    const { job, request } = await hold(1_000, 2_000);
    await waitFor(async () => (await stored(request.id))?.state === 'expired');
    await env.flows.settled(request.id);
    expect(statesOf(request.id)).toEqual([S.record, S.await, S.escalate, S.awaitEscalated, S.expire]);
    const expiredJob = await env.world.jobs.get(job.id);
    expect(expiredJob).toMatchObject({ state: 'expired', stateReason: 'No approval decision before the expiry time' });
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.escalated', 'approval.expired']);
    const late = await decide(request.id, 'approveApproval');
    expect(late.status).toBe(409);
    expect(late.json.error.message).toContain('expired');
    expect(await jobState(job.id)).toBe('expired');
  });
});

describe('exactly once in effect', () => {
  it('a decision delivered twice at once: one 200, one 409, one outcome', async () => {
    const { job, request } = await hold(60_000, 120_000);
    await waiting(request.id);
    const results = await Promise.all([decide(request.id, 'approveApproval'), decide(request.id, 'rejectApproval', 'vision-lead-b')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.json.state;
    await env.flows.settled(request.id);
    expect(await jobState(job.id)).toBe(winner === 'approved' ? 'queued' : 'rejected');
    expect((await eventsOf(request.id)).filter((type) => type !== 'approval.required')).toHaveLength(1);
  });

  it('a task token already used ends nothing more', async () => {
    const { request } = await hold(60_000, 120_000);
    await waiting(request.id);
    const token = (await stored(request.id))!.taskToken!;
    expect((await decide(request.id, 'approveApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(await env.flows.succeed(token, { outcome: 'approved' })).toBe(false);
    // The bridge drops the token once it has ended the wait with it.
    await waitFor(async () => (await stored(request.id))?.taskToken === undefined);
  });

  it('the resume is lost (the bridge dies before SendTaskSuccess, every retry): the decision holds, the flow ends at its next timer', async () => {
    const { job, request } = await hold(1_500, 120_000);
    await waiting(request.id);
    const succeed = env.tokens.succeed;
    let attempts = 0;
    env.tokens.succeed = async () => {
      attempts += 1;
      throw new Error('the bridge died before the callback');
    };
    try {
      expect((await decide(request.id, 'approveApproval')).status).toBe(200);
      // The decision answered at once; the bridge's attempt to end the wait comes after it.
      await waitFor(async () => attempts > 0);
    } finally {
      env.tokens.succeed = succeed;
    }
    expect(env.flows.isRunning(request.id)).toBe(true);
    await env.flows.settled(request.id);
    expect(statesOf(request.id)).toEqual([S.record, S.await, S.escalate, S.closed]);
    expect(await jobState(job.id)).toBe('queued');
    expect((await stored(request.id))!.state).toBe('approved');
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.granted']);
  });

  it('a restart of the runner re-drives pending requests from the table, announcing nothing twice', async () => {
    const { job, request } = await hold(60_000, 120_000);
    await waiting(request.id);
    const before = (await stored(request.id))!.taskToken;
    expect(await env.restartFlows()).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await stored(request.id))?.taskToken !== before);
    expect((await decide(request.id, 'approveApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(await jobState(job.id)).toBe('queued');
    expect(await eventsOf(request.id)).toEqual(['approval.required', 'approval.granted']);
  });
});

describe('the approval bridge: signals delivered twice take effect once', () => {
  const bridgeOf = () =>
    createApprovalBridge({ approvals: env.approvals, flows: env.flows, tokens: env.flows, logger: { info: () => undefined } });
  const signal = (action: 'start' | 'resume', approvalId: string) => ({
    detail: { type: APPROVAL_FLOW_SIGNAL_EVENT, orgId: ORGS.acme, data: { action, approvalId } },
  });

  it('a start signal for a running flow names the same execution; one for a decided request starts nothing', async () => {
    const { request } = await hold(60_000, 120_000);
    await waiting(request.id);
    expect(await bridgeOf()(signal('start', request.id))).toEqual({ outcome: 'started' });
    expect(statesOf(request.id)).toEqual([S.record, S.await]);
    expect((await decide(request.id, 'approveApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    expect(await bridgeOf()(signal('start', request.id))).toEqual({ outcome: 'nothing' });
    expect(env.flows.isRunning(request.id)).toBe(false);
    expect(statesOf(request.id)).toEqual([S.record, S.await]);
  });

  it('a resume signal delivered again ends nothing more: the token was dropped with the first', async () => {
    const { job, request } = await hold(60_000, 120_000);
    await waiting(request.id);
    expect((await decide(request.id, 'rejectApproval')).status).toBe(200);
    await env.flows.settled(request.id);
    await waitFor(async () => (await stored(request.id))?.taskToken === undefined);
    expect(await bridgeOf()(signal('resume', request.id))).toEqual({ outcome: 'nothing' });
    expect(await jobState(job.id)).toBe('rejected');
    expect(await signalsOf(request.id)).toEqual(['resume']);
  });

  it('refuses an event that is not a flow signal', async () => {
    await expect(bridgeOf()({ detail: { type: 'job.submitted', orgId: ORGS.acme, data: { approvalId: 'x' } } })).rejects.toThrow();
  });
});

beforeAll(async () => {
  await env.world.putUser({ id: 'vision-lead-b', level: 'lead', teamIds: [TEAMS.vision] });
});
