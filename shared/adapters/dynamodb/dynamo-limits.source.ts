import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ConcurrencyLimits, LimitsSource } from '../../domain/jobs/concurrency';
import { keys } from './keys';

const storedLimitsSchema = z.object({
  maxConcurrent: z.number().int().min(1).optional(),
  userMaxConcurrent: z.number().int().min(1).optional(),
});

/** Concurrency limits: the `SETTINGS/LIMITS` item when an admin set one, else the deployment defaults. */
export class DynamoLimitsSource implements LimitsSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly defaults: ConcurrencyLimits,
  ) {}

  async current(): Promise<ConcurrencyLimits> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.limits(), ConsistentRead: true }));
    const stored = storedLimitsSchema.parse(result.Item ?? {});
    return {
      maxConcurrent: stored.maxConcurrent ?? this.defaults.maxConcurrent,
      userMaxConcurrent: stored.userMaxConcurrent ?? this.defaults.userMaxConcurrent,
    };
  }
}
