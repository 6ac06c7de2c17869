import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as keys from '#adapters/dynamodb/table-keys';
import { isTerminal, JOB_STATES } from '#domain/jobs/job.schema';
import { queryPages } from '#adapters/dynamodb/query-all';

/**
 * Moves the state index (gsi2) from one partition per state (`JOBSTATE#<state>`) to its shards
 * (`JOBSTATE#<state>#<shard>`, table-keys.ts): each non-terminal job's `gsi2pk` is rewritten, conditional on
 * the value it replaces. A marker records completion. Runs after the per-org queue depth migration (which
 * counts the old partition) and before the global concurrency shards (which list active jobs by state); the
 * local stack runs it at start, deployments with `npx tsx scripts/migrate/migrate.ts --table <name>`.
 */
export const JOB_STATE_SHARDS_MIGRATION_ID = 'job-state-shards';

export async function migrateToJobStateShards(doc: DynamoDBDocumentClient, tableName: string): Promise<{ skipped: boolean; jobs: number }> {
  const marker = keys.migration(JOB_STATE_SHARDS_MIGRATION_ID);
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }))).Item) return { skipped: true, jobs: 0 };
  let jobs = 0;
  for (const state of JOB_STATES.filter((s) => !isTerminal(s))) {
    const legacy = keys.legacyJobStatePartition(state);
    for await (const page of queryPages(doc, {
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': legacy },
      ProjectionExpression: 'pk, sk, id',
    })) {
      for (const item of page.Items ?? []) {
        try {
          await doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: String(item.pk), sk: String(item.sk) },
              UpdateExpression: 'SET gsi2pk = :shard',
              ConditionExpression: 'gsi2pk = :legacy',
              ExpressionAttributeValues: {
                ':shard': keys.jobStatePartition(state, keys.jobStateShard(String(item.id))),
                ':legacy': legacy,
              },
            }),
          );
          jobs += 1;
        } catch (error) {
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error; // moved on meanwhile
        }
      }
    }
  }
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...marker, at: new Date().toISOString(), jobs } }));
  return { skipped: false, jobs };
}
