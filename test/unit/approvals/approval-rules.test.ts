import { describe, expect, it } from 'vitest';
import type { ApprovalRule } from '#domain/approvals/approval-rule.schema';
import { describeMatch, matchingRule, memoFacts, type ApprovalSubject } from '#domain/approvals/approval-rules';
import type { RequesterFacts } from '#domain/approvals/approvals.port';
import { approvalRuleBodySchema } from '#contracts/approvals.contract';

let sequence = 0;
function rule(fields: Partial<ApprovalRule> & Pick<ApprovalRule, 'condition'>): ApprovalRule {
  sequence += 1;
  return {
    schemaVersion: 1,
    id: `r${sequence}`,
    scope: 'org',
    orgId: 'acme',
    name: `rule-${sequence}`,
    description: '',
    priority: 0,
    enabled: true,
    required_approver_level: 'lead',
    exempt_levels: [],
    escalate_after_minutes: 240,
    expire_after_minutes: 1440,
    createdBy: 'ada',
    createdAt: `2026-01-01T00:00:${String(sequence % 60).padStart(2, '0')}.000Z`,
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...fields,
  };
}

const subject = (fields: Partial<ApprovalSubject> = {}): ApprovalSubject => ({
  level: 'researcher',
  bypass: false,
  costUsd: 60,
  hardwareType: 'gpu-a100-8x',
  backend: 'ecs',
  ...fields,
});

/** Facts that count how often they were read, so a test can assert that no rule read what it did not need. */
function facts(today = 0, before = true) {
  const reads = { today: 0, before: 0 };
  const source: RequesterFacts = {
    jobsToday: async () => ((reads.today += 1), today),
    hasSubmittedBefore: async () => ((reads.before += 1), before),
  };
  return { source, reads };
}

describe('approval rule conditions', () => {
  it('cost_exceeds: strictly above the threshold', async () => {
    const high = rule({ condition: 'cost_exceeds', threshold: 50 });
    expect(await matchingRule([high], subject({ costUsd: 60 }), facts().source)).toBe(high);
    expect(await matchingRule([high], subject({ costUsd: 50 }), facts().source)).toBeUndefined();
    expect(await matchingRule([high], subject({ costUsd: 40 }), facts().source)).toBeUndefined();
  });

  it('hardware_type: a glob over the hardware type', async () => {
    const a100 = rule({ condition: 'hardware_type', pattern: 'gpu-a100-*' });
    expect(await matchingRule([a100], subject({ hardwareType: 'gpu-a100-8x' }), facts().source)).toBe(a100);
    expect(await matchingRule([a100], subject({ hardwareType: 'gpu-a10g-1x' }), facts().source)).toBeUndefined();
  });

  it('config_pattern: a glob over the template name, never matching a job without one', async () => {
    const prod = rule({ condition: 'config_pattern', pattern: 'prod-*' });
    expect(await matchingRule([prod], subject({ template: 'prod-train' }), facts().source)).toBe(prod);
    expect(await matchingRule([prod], subject({ template: 'dev-train' }), facts().source)).toBeUndefined();
    expect(await matchingRule([prod], subject({}), facts().source)).toBeUndefined();
  });

  it('provider: a glob over the backend', async () => {
    const kube = rule({ condition: 'provider', pattern: 'kube*' });
    expect(await matchingRule([kube], subject({ backend: 'kubernetes' }), facts().source)).toBe(kube);
    expect(await matchingRule([kube], subject({ backend: 'ecs' }), facts().source)).toBeUndefined();
  });

  it('daily_jobs_exceed: this submission would be job (today + 1)', async () => {
    const three = rule({ condition: 'daily_jobs_exceed', threshold: 3 });
    expect(await matchingRule([three], subject(), facts(2).source)).toBeUndefined();
    expect(await matchingRule([three], subject(), facts(3).source)).toBe(three);
  });

  it('first_job: only when the requester never submitted before', async () => {
    const first = rule({ condition: 'first_job' });
    expect(await matchingRule([first], subject(), facts(0, false).source)).toBe(first);
    expect(await matchingRule([first], subject(), facts(0, true).source)).toBeUndefined();
  });
});

describe('approval rule evaluation', () => {
  it('takes the first match in priority order (higher first, then the older rule)', async () => {
    const low = rule({ condition: 'cost_exceeds', threshold: 10, priority: 1 });
    const high = rule({ condition: 'cost_exceeds', threshold: 10, priority: 5 });
    const highLater = rule({ condition: 'cost_exceeds', threshold: 10, priority: 5 });
    expect(await matchingRule([low, highLater, high], subject(), facts().source)).toBe(high);
  });

  it('skips a rule that exempts the level, and the next rule may still match', async () => {
    const exempt = rule({ condition: 'cost_exceeds', threshold: 50, exempt_levels: ['researcher'], priority: 9 });
    const other = rule({ condition: 'hardware_type', pattern: 'gpu-*' });
    expect(await matchingRule([exempt], subject(), facts().source)).toBeUndefined();
    expect(await matchingRule([exempt, other], subject(), facts().source)).toBe(other);
  });

  it('applies_to_level and applies_to_provider narrow who and where', async () => {
    const leadsOnly = rule({ condition: 'cost_exceeds', threshold: 1, applies_to_level: 'lead' });
    const kubeOnly = rule({ condition: 'cost_exceeds', threshold: 1, applies_to_provider: 'kubernetes' });
    expect(await matchingRule([leadsOnly, kubeOnly], subject(), facts().source)).toBeUndefined();
    expect(await matchingRule([leadsOnly], subject({ level: 'lead' }), facts().source)).toBe(leadsOnly);
    expect(await matchingRule([kubeOnly], subject({ backend: 'kubernetes' }), facts().source)).toBe(kubeOnly);
  });

  it('ignores disabled rules', async () => {
    expect(
      await matchingRule([rule({ condition: 'cost_exceeds', threshold: 1, enabled: false })], subject(), facts().source),
    ).toBeUndefined();
  });

  it('lets holders of job.bypass.approval skip every rule', async () => {
    expect(await matchingRule([rule({ condition: 'first_job' })], subject({ bypass: true }), facts(0, false).source)).toBeUndefined();
  });

  it('reads requester facts only for a rule that applies and needs them, and each fact once', async () => {
    const { source, reads } = facts(10, true);
    const exemptDaily = rule({ condition: 'daily_jobs_exceed', threshold: 1, exempt_levels: ['researcher'], priority: 3 });
    const cost = rule({ condition: 'cost_exceeds', threshold: 1, priority: 2 });
    expect(await matchingRule([exemptDaily, cost], subject(), memoFacts(source))).toBe(cost);
    expect(reads).toEqual({ today: 0, before: 0 });
    const daily = [2, 1].map((priority) => rule({ condition: 'daily_jobs_exceed', threshold: 100, priority }));
    const memo = memoFacts(source);
    expect(await matchingRule(daily, subject(), memo)).toBeUndefined();
    expect(reads.today).toBe(1);
  });

  it('says why a rule matched', () => {
    expect(describeMatch(rule({ condition: 'cost_exceeds', threshold: 50 }), subject())).toBe('estimated cost $60.00 exceeds $50.00');
  });
});

describe('approval rule input', () => {
  const parse = (body: unknown) => approvalRuleBodySchema.safeParse(body);
  const fields = (body: unknown) => (parse(body).error?.issues ?? []).map((issue) => issue.path.join('.'));

  it("accepts the seed's example as written (threshold as a string)", () => {
    const result = parse({
      name: 'high_cost',
      condition: 'cost_exceeds',
      threshold: '50',
      required_approver_level: 'lead',
      exempt_levels: ['admin'],
    });
    expect(result.success).toBe(true);
    expect(result.data?.threshold).toBe(50);
  });

  it('names the field a condition needs or refuses', () => {
    expect(fields({ name: 'x', condition: 'cost_exceeds' })).toEqual(['threshold']);
    expect(fields({ name: 'x', condition: 'hardware_type' })).toEqual(['pattern']);
    expect(fields({ name: 'x', condition: 'first_job', threshold: 1 })).toEqual(['threshold']);
    expect(fields({ name: 'x', condition: 'cost_exceeds', threshold: 'lots' })).toEqual(['threshold']);
    expect(fields({ name: 'x', condition: 'daily_jobs_exceed', threshold: 2.5 })).toEqual(['threshold']);
    expect(fields({ name: 'x', condition: 'first_job', escalate_after_minutes: 60, expire_after_minutes: 60 })).toEqual([
      'escalate_after_minutes',
    ]);
    expect(fields({ name: 'x', condition: 'first_job', surprise: true })).toEqual(['']);
  });
});
