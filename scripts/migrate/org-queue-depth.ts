import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as keys from '#adapters/dynamodb/table-keys';
import { queueDepth } from '#domain/quotas/counters';
import { queryPages } from '#adapters/dynamodb/query-all';

/**
 * Replaces the deployment-wide queue depth (`COUNTER#queue:depth`) by one per org (`queue:depth:ORG#<org>`),
 * each set to the number of that org's queued jobs, counted on the state index. Run while nothing queues or
 * admits jobs (the local stack runs it at start; deployments follow docs/scheduling.md); a marker item
 * records completion.
 */
export const QUEUE_DEPTH_MIGRATION_ID = 'org-queue-depth';
const LEGACY_QUEUE_DEPTH = 'queue:depth';

export async function migrateToOrgQueueDepth(doc: DynamoDBDocumentClient, tableName: string): Promise<{ skipped: boolean; orgs: number }> {
  const marker = keys.migration(QUEUE_DEPTH_MIGRATION_ID);
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }))).Item) return { skipped: true, orgs: 0 };
  const queued = new Map<string, number>();
  for await (const page of queryPages(doc, {
    TableName: tableName,
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :p',
    ExpressionAttributeValues: { ':p': keys.legacyJobStatePartition('queued') }, // it runs before job-state-shards
    ProjectionExpression: 'orgId',
  })) {
    for (const item of page.Items ?? []) queued.set(String(item.orgId), (queued.get(String(item.orgId)) ?? 0) + 1);
  }
  for (const [orgId, depth] of queued) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.counter(queueDepth(orgId)), value: depth } }));
  }
  await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.counter(LEGACY_QUEUE_DEPTH) }));
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...marker, at: new Date().toISOString(), orgs: queued.size } }));
  return { skipped: false, orgs: queued.size };
}
