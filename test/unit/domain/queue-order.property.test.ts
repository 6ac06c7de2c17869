import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Job } from '#domain/jobs/job.schema';
import { decayedUsage, fairShareEffects, fairShareRecord } from '#domain/scheduling/fair-share';
import { orderQueue, starvationBoundMinutes, type OrderingContext } from '#domain/scheduling/queue-order';
import { DEFAULT_SCHEDULING, type SchedulingSettings } from '#domain/scheduling/scheduling-settings';

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
let sequence = 0;

function queuedJob(
  fields: { priorityClass: number; queuedAt: number; teamId?: string; ownerId?: string; orgId?: string } & Partial<Job>,
): Job {
  sequence += 1;
  const at = new Date(fields.queuedAt).toISOString();
  const { queuedAt: _q, ...rest } = fields;
  return {
    schemaVersion: 1,
    id: `job-${String(sequence).padStart(6, '0')}`,
    orgId: 'acme',
    ownerId: 'rae',
    spec: {
      name: 'train',
      image: 'busybox',
      command: [],
      args: [],
      env: [],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 60,
      priority: 'normal',
    },
    backend: 'local',
    state: 'queued',
    estimatedCostUsd: 1,
    gpuCount: 1,
    createdAt: at,
    updatedAt: at,
    history: [
      { state: 'submitted', at },
      { state: 'queued', at },
    ],
    holds: [],
    version: 2,
    ...rest,
  };
}

const context = (now: number, usage: OrderingContext['usage'] = {}, settings: Partial<SchedulingSettings> = {}): OrderingContext => ({
  now: new Date(now),
  settingsOf: () => ({ ...DEFAULT_SCHEDULING, ...settings }),
  usage,
});

const PRIORITIES = [0, 5, 10, 15, 20, 25, 30, 70, 80, 100, 150];
const MAX_PRIORITY = Math.max(...PRIORITIES);
const TEAMS = ['vision', 'robotics', 'nlp', 'infra'];

const arbitraryJob = fc.record({
  priorityClass: fc.constantFrom(...PRIORITIES),
  offsetMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  team: fc.constantFrom(...TEAMS),
  user: fc.constantFrom('u1', 'u2', 'u3'),
});
const arbitraryUsage = fc.dictionary(fc.constantFrom(...TEAMS), fc.double({ min: 0, max: 10_000, noNaN: true }));

describe('queue order (docs/scheduling.md): priority with aging, fair share, queue time', () => {
  it('never orders a job behind one that entered the queue more than the starvation bound after it', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryJob, { minLength: 2, maxLength: 40 }),
        arbitraryUsage,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        (specs, teamUsage, agingMinutes, extraMinutes) => {
          const jobs = specs.map((s) =>
            queuedJob({ priorityClass: s.priorityClass, queuedAt: T0 + s.offsetMinutes * 60_000, teamId: s.team, ownerId: s.user }),
          );
          const usage = Object.fromEntries(
            Object.entries(teamUsage).map(([team, hours]) => [
              fairShareRecord({ type: 'team', orgId: 'acme', id: team }),
              { 'd2026-11-30': hours },
            ]),
          );
          const latest = Math.max(...jobs.map((j) => Date.parse(j.createdAt)));
          const order = orderQueue(jobs, context(latest + extraMinutes * 60_000, usage, { agingMinutes })).map((r) => r.job.id);
          for (const a of jobs) {
            const bound = starvationBoundMinutes(a.priorityClass, MAX_PRIORITY, agingMinutes) * 60_000;
            for (const b of jobs) {
              if (Date.parse(b.createdAt) - Date.parse(a.createdAt) > bound) expect(order.indexOf(a.id)).toBeLessThan(order.indexOf(b.id));
            }
          }
        },
      ),
    );
  });

  it('orders by effective priority first, and a job only gains priority by waiting', () => {
    fc.assert(
      fc.property(fc.array(arbitraryJob, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 10_000 }), (specs, laterMinutes) => {
        const jobs = specs.map((s) =>
          queuedJob({ priorityClass: s.priorityClass, queuedAt: T0 + s.offsetMinutes * 60_000, teamId: s.team }),
        );
        const now = T0 + 3 * 24 * 3_600_000;
        const ranked = orderQueue(jobs, context(now));
        for (let i = 1; i < ranked.length; i += 1)
          expect(ranked[i - 1]!.effectivePriority).toBeGreaterThanOrEqual(ranked[i]!.effectivePriority);
        const later = new Map(orderQueue(jobs, context(now + laterMinutes * 60_000)).map((r) => [r.job.id, r.effectivePriority]));
        for (const r of ranked) expect(later.get(r.job.id)).toBeGreaterThanOrEqual(r.effectivePriority);
      }),
    );
  });

  it('puts the team with less weighted recent usage first at equal priority, then the user with less', () => {
    const at = T0 + 60_000;
    const heavy = queuedJob({ priorityClass: 20, queuedAt: T0, teamId: 'vision', ownerId: 'u1' });
    const light = queuedJob({ priorityClass: 20, queuedAt: T0 + 30_000, teamId: 'robotics', ownerId: 'u2' });
    const weighted = queuedJob({ priorityClass: 20, queuedAt: T0 + 40_000, teamId: 'nlp', ownerId: 'u3' });
    const team = (id: string) => fairShareRecord({ type: 'team', orgId: 'acme', id });
    const usage = {
      [team('vision')]: { 'd2026-11-30': 60 },
      [team('robotics')]: { 'd2026-11-30': 20 },
      [team('nlp')]: { 'd2026-11-30': 30 },
    };
    const ranked = orderQueue([heavy, light, weighted], context(at, usage, { teamWeights: { nlp: 3 } }));
    expect(ranked.map((r) => r.job.id)).toEqual([weighted.id, light.id, heavy.id]); // 30/3 < 20/1 < 60/1

    const sameTeamA = queuedJob({ priorityClass: 20, queuedAt: T0, teamId: 'vision', ownerId: 'busy' });
    const sameTeamB = queuedJob({ priorityClass: 20, queuedAt: T0 + 1_000, teamId: 'vision', ownerId: 'idle' });
    const users = { [fairShareRecord({ type: 'user', orgId: 'acme', id: 'busy' })]: { 'd2026-11-30': 5 } };
    expect(orderQueue([sameTeamA, sameTeamB], context(at, users)).map((r) => r.job.id)).toEqual([sameTeamB.id, sameTeamA.id]);
  });

  it('puts bypass holders first, then jobs moved to the front in the order they were moved', () => {
    fc.assert(
      fc.property(fc.array(arbitraryJob, { minLength: 3, maxLength: 20 }), (specs) => {
        const jobs = specs.map((s, i) =>
          queuedJob({
            priorityClass: s.priorityClass,
            queuedAt: T0 + s.offsetMinutes * 60_000,
            ...(i % 5 === 0 ? { bypassQueue: true } : {}),
            ...(i % 3 === 1 ? { movedToFrontAt: new Date(T0 + (100 - i) * 1000).toISOString() } : {}),
          }),
        );
        const ranked = orderQueue(jobs, context(T0 + 4 * 24 * 3_600_000)).map((r) => r.job);
        const kind = (j: Job) => (j.bypassQueue ? 0 : j.movedToFrontAt ? 1 : 2);
        for (let i = 1; i < ranked.length; i += 1) expect(kind(ranked[i - 1]!)).toBeLessThanOrEqual(kind(ranked[i]!));
        const fronts = ranked.filter((j) => kind(j) === 1).map((j) => j.movedToFrontAt!);
        expect(fronts).toEqual([...fronts].sort());
      }),
    );
  });
});

describe('fair share decays by arithmetic on read', () => {
  it('halves after one half-life and never grows with time', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.integer({ min: 1, max: 24 * 60 }), (hours, halfLife) => {
        const days = { 'd2026-12-01': hours };
        const middle = Date.parse('2026-12-01T12:00:00.000Z');
        expect(decayedUsage(days, new Date(middle), halfLife)).toBeCloseTo(hours, 6);
        expect(decayedUsage(days, new Date(middle + halfLife * 3_600_000), halfLife)).toBeCloseTo(hours / 2, 6);
        expect(decayedUsage(days, new Date(middle + 2 * halfLife * 3_600_000), halfLife)).toBeLessThanOrEqual(hours / 2);
      }),
    );
  });

  it('charges GPU-hours to the team and user records of the job’s org on the day it ended', () => {
    const job = queuedJob({ priorityClass: 20, queuedAt: T0, teamId: 'vision', orgId: 'globex', ownerId: 'gia' });
    expect(fairShareEffects(job, 1.5, '2026-12-06T10:00:00.000Z')).toEqual([
      { counter: 'fairshare:ORG#globex#TEAM#vision', field: 'd2026-12-06', amount: 1.5 },
      { counter: 'fairshare:ORG#globex#USER#gia', field: 'd2026-12-06', amount: 1.5 },
    ]);
    expect(fairShareEffects(job, 0, '2026-12-06T10:00:00.000Z')).toEqual([]);
  });
});
