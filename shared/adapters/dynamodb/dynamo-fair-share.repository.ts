import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expiredDays, type FairShareDays } from '#domain/scheduling/fair-share';
import type { FairShareSource } from '#domain/scheduling/scheduling.port';
import * as keys from './table-keys';

/**
 * Fair-share records are counter items (`COUNTER#fairshare:ORG#…`) with one `d<yyyy-mm-dd>` attribute per
 * day of use. Read in batches of 100 (eventually consistent: ordering tolerates a settlement in flight);
 * days past the window are removed when seen, so no job sweeps them.
 */
export class DynamoFairShareSource implements FairShareSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async read(records: readonly string[]): Promise<Record<string, FairShareDays>> {
    const result: Record<string, FairShareDays> = {};
    const unique = [...new Set(records)];
    for (let start = 0; start < unique.length; start += 100) {
      const batch = unique.slice(start, start + 100);
      const byPk = new Map(batch.map((record) => [keys.counter(record).pk, record]));
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: batch.map((record) => keys.counter(record)) },
      };
      while (request && Object.keys(request).length > 0) {
        const page = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of page.Responses?.[this.tableName] ?? []) {
          const record = byPk.get(String(item.pk));
          if (!record) continue;
          result[record] = Object.fromEntries(
            Object.entries(item).filter(([field, value]) => field.startsWith('d') && typeof value === 'number'),
          );
          await this.dropExpired(record, result[record]);
        }
        request = page.UnprocessedKeys as typeof request;
      }
    }
    return result;
  }

  private async dropExpired(record: string, days: FairShareDays): Promise<void> {
    const expired = expiredDays(days, this.clock.now()).slice(0, 50);
    if (expired.length === 0) return;
    for (const field of expired) delete days[field];
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(record),
        UpdateExpression: `REMOVE ${expired.map((_, i) => `#d${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(expired.map((field, i) => [`#d${i}`, field])),
      }),
    );
  }
}
