import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '#domain/authz/glob';
import { enforceResourceRules, evaluateRules } from '#domain/authz/resource-rules';
import type { ResourceRule, ResourceType } from '#domain/authz/resource-rule.schema';
import type { Principal } from '#domain/authz/principal';
import { AppError } from '#domain/errors/app-error';

/** The reference semantics of a glob, by regular expression (fine for the short test patterns). */
const referenceGlob = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  ).test(value);

const alphabet = fc.constantFrom('a', 'b', '-', '1');
const value = fc.string({ unit: alphabet, maxLength: 6 });
const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '-', '1', '*', '?'), minLength: 1, maxLength: 6 });
const type = fc.constantFrom<ResourceType>('config', 'hardware', 'provider', 'cluster', 'namespace');
const subject = { level: 'researcher', teamIds: ['vision'] };

let counter = 0;
const rule = (overrides: Partial<ResourceRule>): ResourceRule => ({
  schemaVersion: 1,
  id: `r${(counter += 1)}`,
  orgId: 'acme',
  type: 'config',
  pattern: '*',
  action: 'allow',
  description: '',
  createdBy: 'ada',
  createdAt: '',
  updatedAt: '',
  version: 1,
  ...overrides,
});
const ruleArb: fc.Arbitrary<ResourceRule> = fc
  .record({
    type,
    pattern,
    action: fc.constantFrom('allow' as const, 'deny' as const),
    level: fc.option(fc.constantFrom('researcher', 'lead'), { nil: undefined }),
    teamId: fc.option(fc.constantFrom('vision', 'nlp'), { nil: undefined }),
  })
  .map((fields) => rule(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))));
const rules = fc.array(ruleArb, { maxLength: 8 });

describe('glob matching', () => {
  it('agrees with the reference semantics', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        expect(globMatch(p, v)).toBe(referenceGlob(p, v));
      }),
    );
  });

  it('matches a literal only with itself and `*` with anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: alphabet, minLength: 1, maxLength: 8 }), value, (literal, v) => {
        expect(globMatch(literal, literal)).toBe(true);
        expect(globMatch(literal, v)).toBe(v === literal);
        expect(globMatch('*', v)).toBe(true);
      }),
    );
  });

  it('stays fast on adversarial patterns (no regex backtracking)', () => {
    const started = performance.now();
    expect(globMatch(`${'*a'.repeat(60)}b`, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('resource rule evaluation (property)', () => {
  it('allows when no rule of the type applies to the subject', () => {
    fc.assert(
      fc.property(rules, type, value, (list, t, v) => {
        const applicable = list.filter(
          (r) => r.type === t && (r.level ?? subject.level) === subject.level && (!r.teamId || subject.teamIds.includes(r.teamId)),
        );
        if (applicable.length === 0) expect(evaluateRules(list, t, v, subject).allowed).toBe(true);
      }),
    );
  });

  it('is most permissive: any applicable matching allow allows; otherwise a matching deny denies', () => {
    fc.assert(
      fc.property(rules, type, value, (list, t, v) => {
        const applicable = list.filter(
          (r) => r.type === t && (r.level ?? subject.level) === subject.level && (!r.teamId || subject.teamIds.includes(r.teamId)),
        );
        const matching = applicable.filter((r) => referenceGlob(r.pattern, v));
        const decision = evaluateRules(list, t, v, subject);
        if (matching.some((r) => r.action === 'allow')) expect(decision.allowed).toBe(true);
        else if (matching.length > 0) expect(decision).toMatchObject({ allowed: false, reason: 'deny' });
        else if (applicable.some((r) => r.action === 'allow')) expect(decision).toMatchObject({ allowed: false, reason: 'unlisted' });
        else expect(decision.allowed).toBe(true);
      }),
    );
  });

  it('does not depend on rule order', () => {
    fc.assert(
      fc.property(rules, type, value, fc.integer(), (list, t, v, seed) => {
        const shuffled = [...list].sort((a, b) => ((a.id.charCodeAt(1) * seed) % 7) - ((b.id.charCodeAt(1) * seed) % 7));
        expect(evaluateRules(shuffled, t, v, subject).allowed).toBe(evaluateRules(list, t, v, subject).allowed);
      }),
    );
  });

  it('never lets a new deny rule allow something, nor a new matching allow rule deny it', () => {
    fc.assert(
      fc.property(rules, type, value, pattern, (list, t, v, p) => {
        const before = evaluateRules(list, t, v, subject).allowed;
        expect(!before && evaluateRules([...list, rule({ type: t, pattern: p, action: 'deny' })], t, v, subject).allowed).toBe(false);
        if (referenceGlob(p, v))
          expect(evaluateRules([...list, rule({ type: t, pattern: p, action: 'allow' })], t, v, subject).allowed).toBe(true);
      }),
    );
  });
});

describe('resource rules: the documented examples (docs/permissions.md#resource-rules)', () => {
  const researcher: Principal = {
    userId: 'rae',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: ['vision'],
    authMethod: 'oidc',
  };
  const lead: Principal = { ...researcher, userId: 'lin', level: 'lead' };
  const source = (list: ResourceRule[]) => ({ forOrg: async () => list });
  const teamX = [
    rule({ id: 'team-x-allow', pattern: 'team-x-*', level: 'researcher' }),
    rule({ id: 'all-deny', pattern: '*', action: 'deny', level: 'researcher' }),
  ];
  const hardware = [
    rule({ id: 't4', type: 'hardware', pattern: 'gpu-t4*', level: 'researcher' }),
    rule({ id: 'v100', type: 'hardware', pattern: 'gpu-v100*', level: 'researcher' }),
    rule({ id: 'lead-any', type: 'hardware', pattern: '*', level: 'lead' }),
  ];

  it('researcher `config team-x-* allow`, `config * deny`: team-x-a yes, prod-1 no (403 naming the rule)', async () => {
    await expect(
      enforceResourceRules(researcher, { config: 'team-x-a', hardware: 'gpu-a10g-1x', provider: 'ecs' }, source(teamX)),
    ).resolves.toBeUndefined();
    const error = await enforceResourceRules(
      researcher,
      { config: 'prod-1', hardware: 'gpu-a10g-1x', provider: 'ecs' },
      source(teamX),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'forbidden', details: { field: 'body.template', rule: { id: 'all-deny' } } });
    expect((error as AppError).message).toContain('all-deny');
    // Rules for researchers do not touch leads, and a job without a template is not a `config` request.
    await expect(enforceResourceRules(lead, { config: 'prod-1', hardware: 'x', provider: 'ecs' }, source(teamX))).resolves.toBeUndefined();
    await expect(enforceResourceRules(researcher, { hardware: 'x', provider: 'ecs' }, source(teamX))).resolves.toBeUndefined();
  });

  it('researchers limited to T4/V100, leads any hardware', async () => {
    await expect(enforceResourceRules(researcher, { hardware: 'gpu-t4-1x', provider: 'ecs' }, source(hardware))).resolves.toBeUndefined();
    await expect(enforceResourceRules(researcher, { hardware: 'gpu-a100-8x', provider: 'ecs' }, source(hardware))).rejects.toMatchObject({
      code: 'forbidden',
      details: { field: 'body.hardwareType', rules: [{ id: 'v100' }, { id: 't4' }] },
    });
    await expect(enforceResourceRules(lead, { hardware: 'gpu-a100-8x', provider: 'ecs' }, source(hardware))).resolves.toBeUndefined();
  });
});
