import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as keys from '#adapters/dynamodb/table-keys';
import { estimateBasisSchema } from '#domain/jobs/job.schema';
import { scanPages } from '#adapters/dynamodb/query-all';

/**
 * Estimated starts stored before their basis was named (`waiting.estimatedStart.basis` held free text; they
 * rested on max runtimes or a period reset) get `basis: "max_runtime"` or `"period_reset"`, the text kept as
 * `detail` (docs/scheduling.md, "Where a job stands"). Each update is conditional on the text it replaces;
 * a marker records completion. Run before the new code reads jobs (the local stack runs it at start;
 * deployments with the other migrations: `npx tsx scripts/migrate/migrate.ts --table <name>`).
 */
export const ESTIMATE_BASIS_MIGRATION_ID = 'estimate-basis';

export async function migrateEstimateBasis(doc: DynamoDBDocumentClient, tableName: string): Promise<{ skipped: boolean; jobs: number }> {
  const marker = keys.migration(ESTIMATE_BASIS_MIGRATION_ID);
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }))).Item) return { skipped: true, jobs: 0 };
  const named: ReadonlySet<unknown> = new Set(estimateBasisSchema.options);
  let jobs = 0;
  for await (const page of scanPages(doc, {
    TableName: tableName,
    FilterExpression: 'begins_with(pk, :job) AND attribute_exists(waiting.estimatedStart)',
    ExpressionAttributeValues: { ':job': 'JOB#' },
    ProjectionExpression: 'pk, sk, waiting.estimatedStart',
  })) {
    for (const item of page.Items ?? []) {
      const text = (item.waiting as { estimatedStart?: { basis?: unknown } } | undefined)?.estimatedStart?.basis;
      if (named.has(text) || typeof text !== 'string') continue;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: String(item.pk), sk: String(item.sk) },
            UpdateExpression: 'SET waiting.estimatedStart.basis = :basis, waiting.estimatedStart.detail = :text',
            ConditionExpression: 'waiting.estimatedStart.basis = :text',
            ExpressionAttributeValues: { ':basis': text.includes('resets') ? 'period_reset' : 'max_runtime', ':text': text },
          }),
        );
        jobs += 1;
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error; // rewritten meanwhile
      }
    }
  }
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...marker, at: new Date().toISOString(), jobs } }));
  return { skipped: false, jobs };
}
