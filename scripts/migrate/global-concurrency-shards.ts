import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { ACTIVE_STATES, type Job } from '#domain/jobs/job.schema';
import { GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import { globalShard, homeShard } from '#domain/quotas/global-shards';

/**
 * Replaces the one deployment-wide global concurrency item (`COUNTER#concurrency:global`) by its shards
 * (docs/scheduling.md, "No deployment-wide item on the admission path"). Each active job that holds the
 * legacy counter gets its hold renamed to its home shard, and in the same transaction its amount moves from
 * the legacy item to that shard, so the total stays exact and the job's end gives back the shard. A job
 * that changed meanwhile is read again and retried. The legacy item, then empty, is deleted; a marker
 * records completion. Run while nothing admits jobs (the local stack runs it at start; deployments with
 * the other migrations: `npx tsx scripts/migrate/migrate.ts --table <name>`).
 */
export const GLOBAL_SHARDS_MIGRATION_ID = 'global-concurrency-shards';

export interface GlobalShardsReport {
  skipped: boolean;
  jobsMoved: number;
  /** What the legacy item still held after every live job moved (drift from before): dropped with it. */
  legacyLeft: number;
}

export async function migrateToGlobalShards(doc: DynamoDBDocumentClient, tableName: string): Promise<GlobalShardsReport> {
  const marker = keys.migration(GLOBAL_SHARDS_MIGRATION_ID);
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }))).Item) {
    return { skipped: true, jobsMoved: 0, legacyLeft: 0 };
  }
  const jobs = new DynamoJobRepository(doc, tableName);
  let jobsMoved = 0;
  for (const state of ACTIVE_STATES) {
    let cursor: string | undefined;
    do {
      const page = await jobs.listByState(state, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const listed of page.items) if (await moveJob(doc, tableName, jobs, listed.id)) jobsMoved += 1;
      cursor = page.nextCursor;
    } while (cursor);
  }
  const legacy = keys.counter(GLOBAL_CONCURRENCY);
  const left = (await doc.send(new GetCommand({ TableName: tableName, Key: legacy, ConsistentRead: true }))).Item;
  await doc.send(new DeleteCommand({ TableName: tableName, Key: legacy }));
  const legacyLeft = Number(left?.value ?? 0);
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...marker, at: new Date().toISOString(), jobsMoved, legacyLeft } }));
  return { skipped: false, jobsMoved, legacyLeft };
}

/** Moves one job's legacy global hold to its home shard; false when it holds none (or is no longer active). */
async function moveJob(doc: DynamoDBDocumentClient, tableName: string, jobs: DynamoJobRepository, id: string): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const job = await jobs.get(id);
    if (!job || !ACTIVE_STATES.has(job.state)) return false;
    const amount = job.holds.filter((hold) => hold.counter === GLOBAL_CONCURRENCY).reduce((sum, hold) => sum + hold.amount, 0);
    if (amount === 0) return false;
    const shard = globalShard(homeShard(job.id));
    const holds = job.holds.map((hold) => (hold.counter === GLOBAL_CONCURRENCY ? { ...hold, counter: shard } : hold));
    if (await transact(doc, tableName, job, holds, shard, amount)) return true;
  }
  throw new Error(`job ${id} kept changing during the global-concurrency-shards migration; run it again`);
}

async function transact(
  doc: DynamoDBDocumentClient,
  tableName: string,
  job: Job,
  holds: Job['holds'],
  shard: string,
  amount: number,
): Promise<boolean> {
  const add = (counter: string, value: number) => ({
    Update: {
      TableName: tableName,
      Key: keys.counter(counter),
      UpdateExpression: 'ADD #v :a',
      ExpressionAttributeNames: { '#v': 'value' },
      ExpressionAttributeValues: { ':a': value },
    },
  });
  try {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.job(job.id),
              UpdateExpression: 'SET holds = :holds',
              ConditionExpression: '#state = :state AND #version = :version',
              ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
              ExpressionAttributeValues: { ':holds': holds, ':state': job.state, ':version': job.version },
            },
          },
          add(shard, amount),
          add(GLOBAL_CONCURRENCY, -amount),
        ],
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}
