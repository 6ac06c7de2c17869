import { describe, expect, it } from 'vitest';
import type { LevelCatalog } from '#domain/authz/authz.port';
import type { Principal } from '#domain/authz/principal';
import { eligibility, nextLevelUp } from '#domain/approvals/approval-eligibility';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';

const noCustomLevels: LevelCatalog = {
  get: async () => undefined,
  list: async () => [],
  save: async () => true,
  remove: async () => undefined,
};

const person = (userId: string, level: string, fields: Partial<Principal> = {}): Principal => ({
  userId,
  orgId: 'acme',
  level,
  platformAdmin: false,
  teamIds: ['vision'],
  authMethod: 'oidc',
  ...fields,
});

const request = (fields: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  schemaVersion: 1,
  id: '01JAPPROVAL00000000000000A',
  orgId: 'acme',
  jobId: '01JJOB0000000000000000000A',
  jobName: 'train',
  requesterId: 'rae',
  requesterLevel: 'researcher',
  teamId: 'vision',
  costUsd: 60,
  hardwareType: 'gpu-a100-8x',
  ruleId: 'r1',
  ruleName: 'high_cost',
  reason: 'estimated cost $60.00 exceeds $50.00',
  requiredLevel: 'lead',
  escalationLevel: 'admin',
  state: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  escalateAt: '2026-01-01T04:00:00.000Z',
  expireAt: '2026-01-02T00:00:00.000Z',
  version: 1,
  ...fields,
});

const decide = async (principal: Principal, req = request()) => eligibility(principal, req, noCustomLevels);

describe('who may decide an approval request', () => {
  it("a lead of the requester's team, an admin of the org, a platform admin", async () => {
    expect(await decide(person('lin', 'lead'))).toEqual({ eligible: true });
    expect(await decide(person('ada', 'admin', { teamIds: [] }))).toEqual({ eligible: true });
    expect(await decide(person('pat', 'admin', { orgId: 'globex', platformAdmin: true, teamIds: [] }))).toEqual({ eligible: true });
  });

  it('nobody approves their own job, whatever their level', async () => {
    const own = request({ requesterId: 'ada', requesterLevel: 'admin' });
    expect(await decide(person('ada', 'admin'), own)).toMatchObject({ eligible: false, reason: 'Nobody approves their own job' });
  });

  it('a lead of another team, or anyone of another org, is out of scope', async () => {
    expect(await decide(person('lee', 'lead', { teamIds: ['nlp'] }))).toMatchObject({ eligible: false });
    expect(await decide(person('gus', 'admin', { orgId: 'globex', teamIds: [] }))).toMatchObject({ eligible: false });
  });

  it("below the rule's approver level is refused even with the permission", async () => {
    const adminRule = request({ requiredLevel: 'admin' });
    expect(await decide(person('lin', 'lead'), adminRule)).toMatchObject({
      eligible: false,
      reason: expect.stringContaining('level admin'),
    });
    expect(await decide(person('ada', 'admin', { teamIds: [] }), adminRule)).toEqual({ eligible: true });
  });

  it('without admin.approve or queue.approve nobody decides (a denied override, a researcher)', async () => {
    expect(await decide(person('ria', 'researcher'))).toMatchObject({ eligible: false });
    const withoutApproval = person('lin', 'lead', { permissions: ['job.view.own', 'job.view.all'] });
    expect(await decide(withoutApproval)).toMatchObject({ eligible: false, reason: expect.stringContaining('admin.approve') });
    const queueOnly = person('lin', 'lead', { permissions: ['queue.approve'] });
    expect(await decide(queueOnly)).toEqual({ eligible: true });
  });

  it('escalates to the next level up', () => {
    expect(nextLevelUp(30)).toBe('admin');
    expect(nextLevelUp(20)).toBe('lead');
    expect(nextLevelUp(100)).toBe('admin');
  });
});
