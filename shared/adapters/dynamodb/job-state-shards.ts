import type { Page } from '#domain/jobs/jobs.port';
import type { Job } from '#domain/jobs/job.schema';
import { cursorObject, invalidCursor } from './cursor';
import * as keys from './table-keys';

/**
 * One listing of a job state over its index shards (table-keys.ts `jobStatePartition`): each shard is read
 * from where the cursor left it, up to `limit` jobs each, the pages merged in scheduling order and cut at
 * `limit`. The cursor records, per shard, the key of the last job returned from it (or that the shard is
 * done), so the next page starts exactly after what was returned; each shard's part is checked against its
 * partition when used (cursor.ts), so a crafted cursor cannot reach another partition.
 */
export async function mergeShards(
  options: { limit: number; cursor?: string },
  readShard: (shard: number, cursor: string | undefined) => Promise<Page<Job>>,
  index: { orderOf(job: Job): string; cursorAfter(job: Job): string },
): Promise<Page<Job>> {
  const starts = decodeShardCursor(options.cursor);
  const shards = Array.from({ length: keys.JOB_STATE_SHARDS }, (_, shard) => shard).filter((shard) => starts[shard] !== null);
  const pages = await Promise.all(shards.map(async (shard) => ({ shard, page: await readShard(shard, starts[shard] ?? undefined) })));
  const merged = pages
    .flatMap(({ shard, page }) => page.items.map((job) => ({ shard, job, key: index.orderOf(job) })))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, options.limit);
  const next: Record<number, string | null> = {};
  for (const { shard, page } of pages) {
    const taken = merged.filter((entry) => entry.shard === shard);
    const last = taken.at(-1)?.job;
    // Nothing taken from a shard: it starts again where it did ('' = from its beginning, not done).
    if (taken.length < page.items.length) next[shard] = last ? index.cursorAfter(last) : (starts[shard] ?? '');
    else next[shard] = page.nextCursor ?? null;
  }
  for (let shard = 0; shard < keys.JOB_STATE_SHARDS; shard += 1) if (starts[shard] === null) next[shard] = null;
  const items = merged.map((entry) => entry.job);
  const more = Object.values(next).some((cursor) => cursor !== null);
  return more ? { items, nextCursor: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url') } : { items };
}

/** Per shard: a cursor to start from, `undefined` (stored as '') = from the start, `null` = read to its end. */
function decodeShardCursor(cursor: string | undefined): Record<number, string | null | undefined> {
  if (cursor === undefined) return {};
  const result: Record<number, string | null | undefined> = {};
  for (const [shard, value] of Object.entries(cursorObject(cursor))) {
    const index = Number(shard);
    if (!Number.isInteger(index) || index < 0 || index >= keys.JOB_STATE_SHARDS) throw invalidCursor();
    if (value !== null && typeof value !== 'string') throw invalidCursor();
    result[index] = value === '' ? undefined : (value as string | null);
  }
  return result;
}
