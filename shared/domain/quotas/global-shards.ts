import { type CounterEffect, GLOBAL_CONCURRENCY, type Hold } from './counters';

/**
 * The global concurrency limit (`max_concurrent`) is kept in GLOBAL_CONCURRENCY_SHARDS counter items, not
 * one: every admission of every org would otherwise write the same item, so the whole deployment's
 * admissions would share one partition's write rate and collide in transactions (docs/scheduling.md,
 * "No deployment-wide item on the admission path").
 *
 * Shard `i` may hold `shardLimit(i, max)` jobs; the shard limits add up to `max`, and each admission's
 * conditional update keeps its shard within its limit, so the running total never exceeds `max`: the limit
 * stays exact under any concurrency. An admission charges one shard (its job's home shard first, or the
 * one with the most room when the caller knows the values) and records it in the job's holds, so the end
 * of the job gives back exactly that shard. When the shard it tried is full, the admission reads all
 * shards and retries on one with room; the job waits for `global_concurrency` only when none has any.
 */
export const GLOBAL_CONCURRENCY_SHARDS = 8;

export const globalShard = (shard: number): string => `${GLOBAL_CONCURRENCY}#${shard}`;
export const GLOBAL_SHARD_COUNTERS: readonly string[] = Array.from({ length: GLOBAL_CONCURRENCY_SHARDS }, (_, i) => globalShard(i));
export const isGlobalShard = (counter: string): boolean => counter.startsWith(`${GLOBAL_CONCURRENCY}#`);
/** The limit a counter stands for: a shard stands for the global limit (for waiting reasons and "no overtaking"). */
export const limitOf = (counter: string): string => (isGlobalShard(counter) ? GLOBAL_CONCURRENCY : counter);

/** Shard `shard`'s part of `maxConcurrent`: an even split, the remainder to the first shards. */
export function shardLimit(shard: number, maxConcurrent: number): number {
  const base = Math.floor(maxConcurrent / GLOBAL_CONCURRENCY_SHARDS);
  return base + (shard < maxConcurrent % GLOBAL_CONCURRENCY_SHARDS ? 1 : 0);
}

/** A job's first choice (FNV-1a of its id): spreads admissions over the shards with no read. */
export function homeShard(jobId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i += 1) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % GLOBAL_CONCURRENCY_SHARDS;
}

/** Jobs counted against the global limit: the sum of the shards (values as `readCounters` returns them). */
export function globalInUse(values: Readonly<Record<string, number>>): number {
  return GLOBAL_SHARD_COUNTERS.reduce((sum, counter) => sum + (values[counter] ?? 0), 0);
}

/**
 * What one process knows of the shards' room: the scheduler reads them once per pass and charges its own
 * admissions locally, so a pass picks shards with room without a read per admission. Without values
 * (a submission), each job tries its home shard first.
 */
export class GlobalShardRoom {
  private values: number[] | undefined;

  constructor(private readonly maxConcurrent: number) {}

  /** Current values as read from the table (`readCounters(GLOBAL_SHARD_COUNTERS)`). */
  update(values: Readonly<Record<string, number>>): void {
    this.values = GLOBAL_SHARD_COUNTERS.map((counter) => values[counter] ?? 0);
  }

  private room(shard: number): number {
    return shardLimit(shard, this.maxConcurrent) - (this.values?.[shard] ?? 0);
  }

  /** The shard to try for `jobId`: its home shard if it has room (or nothing is known), else the roomiest. */
  pick(jobId: string, amount = 1): number | undefined {
    const home = homeShard(jobId);
    if (!this.values || this.room(home) >= amount) return home;
    let best: number | undefined;
    for (let shard = 0; shard < GLOBAL_CONCURRENCY_SHARDS; shard += 1) {
      if (this.room(shard) >= amount && (best === undefined || this.room(shard) > this.room(best))) best = shard;
    }
    return best;
  }

  charge(shard: number, amount: number): void {
    if (this.values) this.values[shard] = (this.values[shard] ?? 0) + amount;
  }
}

/**
 * The effects and holds of an admission with its global-concurrency effect on `shard` (with the shard's
 * part of the limit, or none for `job.bypass.queue`), so the job's holds name the shard it charged.
 */
export function onGlobalShard(
  plan: { effects: readonly CounterEffect[]; holds: readonly Hold[] },
  shard: number,
  maxConcurrent: number,
): { effects: CounterEffect[]; holds: Hold[] } {
  const counter = globalShard(shard);
  // The shard goes last: a transaction reports its first failed condition, and a full quota or a busy
  // queue must be reported as such rather than send the admission looking for another shard.
  const global = plan.effects.filter((effect) => effect.counter === GLOBAL_CONCURRENCY);
  return {
    effects: [
      ...plan.effects.filter((effect) => effect.counter !== GLOBAL_CONCURRENCY),
      ...global.map((effect) => ({
        ...effect,
        counter,
        ...(effect.limit !== undefined ? { limit: shardLimit(shard, maxConcurrent) } : {}),
      })),
    ],
    holds: plan.holds.map((hold) => (hold.counter === GLOBAL_CONCURRENCY ? { ...hold, counter } : hold)),
  };
}
