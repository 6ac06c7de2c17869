import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import {
  GLOBAL_CONCURRENCY_SHARDS,
  GLOBAL_SHARD_COUNTERS,
  GlobalShardRoom,
  globalInUse,
  globalShard,
  homeShard,
  onGlobalShard,
  shardLimit,
} from '#domain/quotas/global-shards';

const shards = Array.from({ length: GLOBAL_CONCURRENCY_SHARDS }, (_, i) => i);

describe('global concurrency shards', () => {
  it('splits any limit into parts that add up to it exactly, differing by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (max) => {
        const parts = shards.map((shard) => shardLimit(shard, max));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(max);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('picks a shard with room whenever the total has room, and none when it is full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.nat(10), { minLength: GLOBAL_CONCURRENCY_SHARDS, maxLength: GLOBAL_CONCURRENCY_SHARDS }),
        fc.string(),
        (max, fill, jobId) => {
          // Values as admissions leave them: each shard within its part.
          const values = Object.fromEntries(GLOBAL_SHARD_COUNTERS.map((c, i) => [c, Math.min(fill[i]!, shardLimit(i, max))]));
          const room = new GlobalShardRoom(max);
          room.update(values);
          const picked = room.pick(jobId);
          if (globalInUse(values) < max) {
            expect(picked).toBeDefined();
            expect(values[globalShard(picked!)]!).toBeLessThan(shardLimit(picked!, max));
          } else {
            expect(picked).toBeUndefined();
          }
        },
      ),
    );
  });

  it('admitting one by one through the room fills exactly the limit, never a shard beyond its part', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (max) => {
        const room = new GlobalShardRoom(max);
        room.update({});
        const used = shards.map(() => 0);
        let admitted = 0;
        for (let i = 0; i < max + 10; i += 1) {
          const shard = room.pick(`job-${i}`);
          if (shard === undefined) break;
          room.charge(shard, 1);
          used[shard]! += 1;
          admitted += 1;
        }
        expect(admitted).toBe(max);
        used.forEach((value, shard) => expect(value).toBeLessThanOrEqual(shardLimit(shard, max)));
      }),
    );
  });

  it('spreads jobs over every shard by their home shard, with no read', () => {
    const counts = shards.map(() => 0);
    for (let i = 0; i < 8_000; i += 1) counts[homeShard(`01JQ${String(i).padStart(22, '0')}`)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(700);
  });

  it('moves the global effect and hold onto the shard, last, with its part of the limit (none for bypass)', () => {
    const plan = {
      effects: [
        { counter: GLOBAL_CONCURRENCY, amount: 1, limit: 20 },
        { counter: 'concurrent_jobs:ORG#acme', amount: 1 },
      ],
      holds: [{ counter: GLOBAL_CONCURRENCY, amount: 1, kind: 'concurrency' as const }],
    };
    expect(onGlobalShard(plan, 3, 20)).toEqual({
      effects: [
        { counter: 'concurrent_jobs:ORG#acme', amount: 1 },
        { counter: 'concurrency:global#3', amount: 1, limit: shardLimit(3, 20) },
      ],
      holds: [{ counter: 'concurrency:global#3', amount: 1, kind: 'concurrency' }],
    });
    const bypass = { ...plan, effects: [{ counter: GLOBAL_CONCURRENCY, amount: 1 }] };
    expect(onGlobalShard(bypass, 5, 20).effects).toEqual([{ counter: 'concurrency:global#5', amount: 1 }]);
  });
});
