import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequesterFacts } from '#domain/approvals/approvals.port';
import * as keys from './table-keys';
import { queryPages } from './query-all';

/**
 * What the `daily_jobs_exceed` and `first_job` approval conditions read: the owner's job listing (gsi1,
 * sorted by creation time), counted without fetching items. Built per submission; each fact is one Query,
 * made only when a rule asks for it.
 */
export function dynamoRequesterFacts(doc: DynamoDBDocumentClient, tableName: string) {
  const count = async (orgId: string, ownerId: string, since: string, atMost?: number): Promise<number> => {
    let total = 0;
    const pages = queryPages(doc, {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk >= :since',
      ExpressionAttributeValues: { ':p': keys.ownerJobsPartition(orgId, ownerId), ':since': since },
      Select: 'COUNT',
      ...(atMost ? { Limit: atMost } : {}),
    });
    for await (const page of pages) {
      total += page.Count ?? 0;
      if (atMost && total >= atMost) break;
    }
    return total;
  };
  return (orgId: string, ownerId: string, at: Date): RequesterFacts => ({
    jobsToday: () => count(orgId, ownerId, at.toISOString().slice(0, 10)),
    hasSubmittedBefore: async () => (await count(orgId, ownerId, '0', 1)) > 0,
  });
}
