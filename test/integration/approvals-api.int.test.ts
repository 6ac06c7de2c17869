import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorId, OWNERS } from '#test-support/authz-fixtures';
import { createApprovalsWorld, type ApprovalsWorld } from '#test-support/approvals-world';
import { ORGS, TEAMS } from '#test-support/authz-world';

/**
 * Approvals through the real jobs, explain and approvals handlers (middy bundle, access gate, audit log) on
 * DynamoDB Local, with the approval flow run locally from the synthesized state machine definition.
 */
let env: ApprovalsWorld;
const admin = actorId('admin');
const lead = actorId('lead');
const researcher = actorId('researcher');
const platform = actorId('platform');
// gpu-a100-8x costs $32.773 an hour: 110 minutes ≈ $60, 73 minutes ≈ $40.
const job = (name: string, minutes: number) => ({
  name,
  image: 'busybox',
  command: ['true'],
  hardwareType: 'gpu-a100-8x',
  maxRuntimeMinutes: minutes,
});
const SEED_RULE = {
  name: 'high_cost',
  condition: 'cost_exceeds',
  threshold: '50',
  required_approver_level: 'lead',
  exempt_levels: ['admin'],
};

beforeAll(async () => {
  env = await createApprovalsWorld();
  await env.world.putUser({ id: 'globex-admin', orgId: ORGS.globex, level: 'admin', teamIds: [TEAMS.robotics] });
  await env.world.putUser({ id: 'nlp-lead', level: 'lead', teamIds: [TEAMS.nlp] });
  await env.world.putUser({ id: 'vision-lead-2', level: 'lead', teamIds: [TEAMS.vision] });
}, 120_000);
afterAll(async () => env?.stop());

describe('approval rules API', () => {
  let ruleId: string;

  it("creates the seed's rule as written, and lists, reads and replaces it", async () => {
    const created = await env.call(admin, 'createApprovalRule', { body: SEED_RULE });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'high_cost',
      condition: 'cost_exceeds',
      threshold: 50,
      required_approver_level: 'lead',
      exempt_levels: ['admin'],
      scope: 'org',
      priority: 0,
      enabled: true,
      escalate_after_minutes: 240,
      expire_after_minutes: 1440,
    });
    ruleId = created.json.id;
    expect((await env.call(admin, 'listApprovalRules')).json.items.map((r: { id: string }) => r.id)).toContain(ruleId);
    expect((await env.call(admin, 'getApprovalRule', { params: { ruleId } })).json.name).toBe('high_cost');
    const replaced = await env.call(admin, 'replaceApprovalRule', { params: { ruleId }, body: { ...SEED_RULE, description: 'over $50' } });
    expect(replaced.status).toBe(200);
    expect(replaced.json.description).toBe('over $50');
  });

  it('refuses bad input with 400 naming the field, unknown levels with 404 naming it, approver levels that cannot approve with 422', async () => {
    const missing = await env.call(admin, 'createApprovalRule', { body: { name: 'x', condition: 'cost_exceeds' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['body.threshold']);
    const level = await env.call(admin, 'createApprovalRule', { body: { ...SEED_RULE, required_approver_level: 'wizard' } });
    expect(level.status).toBe(404);
    expect(level.json.error.details.fields[0].field).toBe('body.required_approver_level');
    const cannotApprove = await env.call(admin, 'createApprovalRule', { body: { ...SEED_RULE, required_approver_level: 'researcher' } });
    expect(cannotApprove.status).toBe(422);
    expect((await env.call(admin, 'listApprovalRules')).json.items).toHaveLength(1);
  });

  it('needs admin.config; platform rules need a platform admin; another org sees 404', async () => {
    expect((await env.call(lead, 'listApprovalRules')).status).toBe(403);
    expect((await env.call(admin, 'createApprovalRule', { body: { ...SEED_RULE, scope: 'platform' } })).status).toBe(403);
    expect((await env.call('globex-admin', 'getApprovalRule', { params: { ruleId } })).status).toBe(404);
    expect((await env.call('globex-admin', 'replaceApprovalRule', { params: { ruleId }, body: SEED_RULE })).status).toBe(404);
    expect((await env.call('globex-admin', 'deleteApprovalRule', { params: { ruleId } })).status).toBe(404);
    expect((await env.call('globex-admin', 'listApprovalRules')).json.items).toEqual([]);
    expect((await env.call(admin, 'getApprovalRule', { params: { ruleId } })).status).toBe(200);
  });

  it('applies platform rules in every org, and only a platform admin changes them', async () => {
    const created = await env.call(platform, 'createApprovalRule', {
      body: { name: 'first-kube', condition: 'provider', pattern: 'kubernetes', scope: 'platform' },
    });
    expect(created.status).toBe(201);
    const id = created.json.id;
    expect((await env.call('globex-admin', 'listApprovalRules')).json.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await env.call('globex-admin', 'deleteApprovalRule', { params: { ruleId: id } })).status).toBe(403);
    expect((await env.call(platform, 'deleteApprovalRule', { params: { ruleId: id } })).status).toBe(204);
  });
});

describe("the seed's example end to end: cost_exceeds 50, approver lead, exempt admin", () => {
  let approvalId: string;
  let jobId: string;

  it('explain names the rule and who can approve', async () => {
    const explained = await env.call(researcher, 'explainJob', { body: job('big', 110) });
    expect(explained.status).toBe(200);
    expect(explained.json.verdict).toBe('queue');
    expect(explained.json.approval).toMatchObject({ required: true, rule: 'high_cost', approverLevel: 'lead' });
    expect(explained.json.approval.approvers).toContain('team vision');
    expect((await env.call(researcher, 'explainJob', { body: job('small', 73) })).json.approval.required).toBe(false);
  });

  it("a researcher's $60 job waits for a lead, saying so; an admin's does not; a $40 job does not", async () => {
    const held = await env.call(researcher, 'submitJob', { body: job('big', 110) });
    expect(held.status).toBe(201);
    expect(held.json.state).toBe('pending_approval');
    expect(held.json.estimatedCostUsd).toBeGreaterThan(50);
    expect(held.json.waiting.code).toBe('awaiting_approval');
    expect(held.json.waiting.message).toMatch(/level lead or above.*high_cost.*escalates to admin at .*expires at/);
    expect(held.json.approval).toMatchObject({ ruleName: 'high_cost', requiredLevel: 'lead', escalationLevel: 'admin' });
    approvalId = held.json.approval.id;
    jobId = held.json.id;

    const adminJob = await env.call(admin, 'submitJob', { body: job('big', 110) });
    expect(adminJob.json.state).not.toBe('pending_approval');
    const cheap = await env.call(researcher, 'submitJob', { body: job('small', 73) });
    expect(cheap.json.estimatedCostUsd).toBeLessThan(50);
    expect(cheap.json.state).not.toBe('pending_approval');
  });

  it('the flow announces the request once and waits with the token stored, never published', async () => {
    await waitFor(async () => (await env.approvals.get(ORGS.acme, approvalId))?.taskToken !== undefined);
    const published = await env.published();
    const required = published.filter((e) => e.type === 'approval.required' && e.data.approvalId === approvalId);
    expect(required).toHaveLength(1);
    expect(required[0]!.data).toMatchObject({ jobId, ruleName: 'high_cost', approverLevel: 'lead', requesterId: researcher });
    const token = (await env.approvals.get(ORGS.acme, approvalId))!.taskToken!;
    expect(JSON.stringify(published)).not.toContain(token);
  });

  it('lists the pending request for the lead, with cost, rule, age, escalation and expiry', async () => {
    const listed = await env.call(lead, 'listApprovals');
    expect(listed.status).toBe(200);
    const item = listed.json.items.find((i: { id: string }) => i.id === approvalId);
    expect(item).toMatchObject({ jobId, requesterId: researcher, ruleName: 'high_cost', state: 'pending', teamId: TEAMS.vision });
    expect(item.costUsd).toBeGreaterThan(50);
    expect(typeof item.ageSeconds).toBe('number');
    expect(item.escalateAt < item.expireAt).toBe(true);
    expect(JSON.stringify(listed.json)).not.toMatch(/taskToken|local-/);
    expect((await env.call('nlp-lead', 'listApprovals')).json.items.map((i: { id: string }) => i.id)).not.toContain(approvalId);
    expect((await env.call('globex-admin', 'listApprovals')).json.items).toEqual([]);
  });

  it('refuses the requester, a lead of another team and another org (404 when out of reach)', async () => {
    expect((await env.call(researcher, 'approveApproval', { params: { id: approvalId }, body: {} })).status).toBe(403);
    expect((await env.call('nlp-lead', 'approveApproval', { params: { id: approvalId }, body: {} })).status).toBe(404);
    expect((await env.call('globex-admin', 'approveApproval', { params: { id: approvalId }, body: {} })).status).toBe(404);
    expect((await env.call('globex-admin', 'getApproval', { params: { id: approvalId } })).status).toBe(404);
    expect((await env.approvals.get(ORGS.acme, approvalId))!.state).toBe('pending');
  });

  it('a lead approves: the job is queued, the flow ends, the decision is audited; a second decision is 409', async () => {
    const approved = await env.call(lead, 'approveApproval', { params: { id: approvalId }, body: { comment: 'budget ok' } });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({
      state: 'approved',
      decision: { outcome: 'approved', by: lead, comment: 'budget ok', via: 'api' },
    });
    expect((await env.call(researcher, 'getJob', { params: { id: jobId } })).json.state).toBe('queued');
    await env.flows.settled(approvalId);
    expect(env.flows.isRunning(approvalId)).toBe(false);
    expect((await env.published()).some((e) => e.type === 'approval.granted' && e.data.approvalId === approvalId)).toBe(true);

    const again = await env.call('vision-lead-2', 'rejectApproval', { params: { id: approvalId }, body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toContain(`approved by ${lead}`);
    const audit = await env.call(admin, 'listAuditEntries', { query: { limit: '100' } });
    const decisions = audit.json.items.filter((e: { target?: string }) => e.target === `approval/${approvalId}`);
    expect(decisions.some((e: { outcome: string; details: { outcome?: string } }) => e.details?.outcome === 'approved')).toBe(true);
    expect(JSON.stringify(audit.json)).not.toMatch(/local-[A-Za-z0-9_-]{20}/);
  });
});

describe('rejection, self-approval and cancellation', () => {
  it('a rejection ends the job as rejected', async () => {
    const held = await env.call(OWNERS.sameTeam, 'submitJob', { body: job('reject-me', 110) });
    const id = held.json.approval.id;
    const rejected = await env.call(lead, 'rejectApproval', { params: { id }, body: { comment: 'too big' } });
    expect(rejected.status).toBe(200);
    const after = await env.call(admin, 'getJob', { params: { id: held.json.id } });
    expect(after.json).toMatchObject({ state: 'rejected', stateReason: `Rejected by ${lead}: too big` });
    await env.flows.settled(id);
  });

  it('nobody approves their own job, not even a lead whose job a rule holds', async () => {
    const held = await env.call(lead, 'submitJob', { body: job('leads-own', 110) });
    expect(held.json.state).toBe('pending_approval');
    const own = await env.call(lead, 'approveApproval', { params: { id: held.json.approval.id }, body: {} });
    expect(own.status).toBe(403);
    expect(own.json.error.message).toContain('own job');
    expect((await env.call('vision-lead-2', 'approveApproval', { params: { id: held.json.approval.id }, body: {} })).status).toBe(200);
  });

  it('cancelling a held job ends its flow; a decision afterwards is 409', async () => {
    const held = await env.call(researcher, 'submitJob', { body: job('cancel-me', 110) });
    const id = held.json.approval.id;
    await waitFor(async () => (await env.approvals.get(ORGS.acme, id))?.taskToken !== undefined);
    const cancelled = await env.call(researcher, 'cancelJob', { params: { id: held.json.id } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.state).toBe('cancelled');
    await env.flows.settled(id);
    expect(env.flows.isRunning(id)).toBe(false);
    expect(await env.approvals.get(ORGS.acme, id)).toMatchObject({ state: 'cancelled' });
    // The bridge drops the token once it has ended the wait with it.
    await waitFor(async () => (await env.approvals.get(ORGS.acme, id))?.taskToken === undefined);
    const late = await env.call(lead, 'approveApproval', { params: { id }, body: {} });
    expect(late.status).toBe(409);
    expect((await env.call(researcher, 'getJob', { params: { id: held.json.id } })).json.state).toBe('cancelled');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
