import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '#domain/authz/permissions';
import type { Principal } from '#domain/authz/principal';
import { estimateCostUsd } from '#domain/catalog/hardware.schema';
import { jobSpecSchema, type JobPriority, type JobSpec, type JobSpecInput } from '#domain/jobs/job.schema';
import { priorityClassFor, specFingerprint } from '#domain/job-flow/submit-job.service';
import { researcher, spec } from '#test-support/job-fixtures';

const as = (level: Level, overrides: Partial<Principal> = {}): Principal => researcher('u1', { level, ...overrides });

describe('specFingerprint', () => {
  /** The same value with object keys in reverse order at every depth. */
  function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reverseKeys(v)]),
      );
    }
    return value;
  }

  const specInput: fc.Arbitrary<JobSpecInput> = fc.record(
    {
      name: fc.constantFrom('train', 'eval', 'finetune-7b'),
      image: fc.constantFrom('busybox', 'ghcr.io/acme/trainer:1'),
      command: fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }),
      args: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
      env: fc.array(
        fc.oneof(
          fc.record({ name: fc.constantFrom('A', 'B', 'HF_HOME'), value: fc.string({ maxLength: 8 }) }),
          fc.record({
            name: fc.constantFrom('HF_TOKEN', 'DB_PASSWORD'),
            secretRef: fc.constantFrom('quartermaster/acme/a', 'quartermaster/acme/b'),
          }),
        ),
        { maxLength: 4 },
      ),
      hardwareType: fc.constantFrom('gpu-a10g-1x', 'gpu-a100-8x'),
      backend: fc.constantFrom('ecs' as const, 'kubernetes' as const),
      teamId: fc.constantFrom('vision', 'nlp'),
      maxRuntimeMinutes: fc.integer({ min: 1, max: 20_160 }),
      priority: fc.constantFrom<JobPriority>('low', 'normal', 'high'),
    },
    { requiredKeys: ['name', 'image', 'command', 'hardwareType', 'maxRuntimeMinutes'] },
  );
  const parsed = specInput.map((input) => jobSpecSchema.parse(input));

  it('is a SHA-256 hex digest', () => {
    expect(specFingerprint(spec())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order at any depth (property)', () => {
    fc.assert(
      fc.property(parsed, (s) => {
        expect(specFingerprint(reverseKeys(s) as JobSpec)).toBe(specFingerprint(s));
      }),
    );
  });

  it('differs for different specs (property)', () => {
    fc.assert(
      fc.property(parsed, parsed, (a, b) => {
        fc.pre(JSON.stringify(reverseKeys(reverseKeys(a))) !== JSON.stringify(reverseKeys(reverseKeys(b))));
        expect(specFingerprint(a)).not.toBe(specFingerprint(b));
      }),
    );
  });

  it('treats array order as meaningful (command words, env entries)', () => {
    expect(specFingerprint(spec({ command: ['a', 'b'] }))).not.toBe(specFingerprint(spec({ command: ['b', 'a'] })));
    const env = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ];
    expect(specFingerprint(spec({ env }))).not.toBe(specFingerprint(spec({ env: [...env].reverse() })));
  });

  it('is the same whether defaults were written out or omitted (a retried request may add them)', () => {
    expect(specFingerprint(spec({ args: [], env: [], priority: 'normal' }))).toBe(specFingerprint(spec()));
  });
});

describe('priorityClassFor (docs/scheduling.md)', () => {
  const levelsByPriority: Level[] = ['viewer', 'researcher', 'lead', 'admin'];
  const priorities: JobPriority[] = ['low', 'normal', 'high'];

  it('ranks admin > lead > researcher > viewer at every requested priority', () => {
    for (const priority of priorities) {
      const classes = levelsByPriority.map((level) => priorityClassFor(as(level), priority));
      expect(
        [...classes].sort((a, b) => a - b),
        priority,
      ).toEqual(classes);
      expect(new Set(classes).size, priority).toBe(classes.length);
    }
  });

  it('ranks high > normal > low within every level, with normal = the level priority', () => {
    for (const level of levelsByPriority) {
      const [low, normal, high] = priorities.map((p) => priorityClassFor(as(level), p)) as [number, number, number];
      expect(high).toBeGreaterThan(normal);
      expect(normal).toBeGreaterThan(low);
      expect(normal).toBe(LEVELS[level]);
      expect(low).toBeGreaterThanOrEqual(0);
    }
  });

  it('ignores team, org and platform-admin flags: only the level and the request count', () => {
    expect(priorityClassFor(as('lead', { platformAdmin: true, teamIds: ['a', 'b'], orgId: 'x' }), 'normal')).toBe(
      priorityClassFor(as('lead'), 'normal'),
    );
  });
});

describe('estimateCostUsd (max runtime × hourly price, in cents)', () => {
  it('prices worked examples', () => {
    expect(estimateCostUsd({ pricePerHourUsd: 1.006 }, 60)).toBe(1.01);
    expect(estimateCostUsd({ pricePerHourUsd: 1.212 }, 30)).toBe(0.61);
    expect(estimateCostUsd({ pricePerHourUsd: 0.3 }, 10)).toBe(0.05);
    expect(estimateCostUsd({ pricePerHourUsd: 32.77 }, 20_160)).toBe(11_010.72);
    expect(estimateCostUsd({ pricePerHourUsd: 0 }, 20_160)).toBe(0);
  });

  it('is within half a cent of the exact cost, a whole number of cents, and monotonic (property)', () => {
    const price = fc.integer({ min: 0, max: 100_000 }).map((milli) => milli / 1000);
    const minutes = fc.integer({ min: 1, max: 20_160 });
    fc.assert(
      fc.property(price, minutes, minutes, (p, m1, m2) => {
        const cost = estimateCostUsd({ pricePerHourUsd: p }, m1);
        expect(Math.abs(cost - (p * m1) / 60)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(cost * 100 - Math.round(cost * 100))).toBeLessThan(1e-6);
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(estimateCostUsd({ pricePerHourUsd: p }, lo)).toBeLessThanOrEqual(estimateCostUsd({ pricePerHourUsd: p }, hi));
      }),
    );
  });

  // Binary floats put 1.005 × 100 at 100.49999…: the estimate must still round the half cent up.
  it('rounds exact half cents up', () => {
    expect(estimateCostUsd({ pricePerHourUsd: 1.005 }, 60)).toBe(1.01);
    expect(estimateCostUsd({ pricePerHourUsd: 0.015 }, 60)).toBe(0.02);
  });
});
