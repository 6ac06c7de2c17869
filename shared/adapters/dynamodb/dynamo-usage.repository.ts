import { roundReported } from '#domain/amounts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all';
import type { DailyUsage, UsageRepository } from '#domain/quotas/quotas.port';
import * as keys from './table-keys';

/** Daily usage records of one scope are one partition: a date range is one Query (paged), never a Scan. */
export class DynamoUsageRepository implements UsageRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async daily(orgId: string, scopeType: 'org' | 'team' | 'user', scopeId: string, from: string, to: string): Promise<DailyUsage[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': keys.usagePartition({ type: scopeType, orgId, id: scopeId }),
        ':from': `DAY#${from}`,
        ':to': `DAY#${to}`,
      },
    });
    return items.map((item) => ({
      day: String(item.sk).slice('DAY#'.length),
      gpuHours: round(Number(item.gpuHours ?? 0)),
      costUsd: round(Number(item.costUsd ?? 0)),
      jobs: Number(item.jobs ?? 0),
    }));
  }
}

const round = roundReported;
