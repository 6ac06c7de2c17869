import { roundAmount } from '#domain/amounts';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CounterEffect, GLOBAL_CONCURRENCY } from '#domain/quotas/counters';
import { GLOBAL_SHARD_COUNTERS, globalInUse } from '#domain/quotas/global-shards';
import * as keys from './table-keys';

/** One counter item's share of a transaction: every field it adds to, and the tightest limit on `value`. */
export interface CounterItemUpdate {
  counter: string;
  adds: Record<string, number>;
  limit?: number;
  expiresAt?: number;
}

/**
 * A transaction may touch an item only once, so effects on the same counter (several fields of a usage
 * record, or two quotas on one counter) are merged into one update.
 */
export function groupEffects(effects: readonly CounterEffect[]): CounterItemUpdate[] {
  const byCounter = new Map<string, CounterItemUpdate>();
  for (const effect of effects) {
    const update = byCounter.get(effect.counter) ?? { counter: effect.counter, adds: {} };
    const field = effect.field ?? 'value';
    update.adds[field] = (update.adds[field] ?? 0) + effect.amount;
    if (effect.limit !== undefined) update.limit = Math.min(update.limit ?? Infinity, effect.limit);
    if (effect.expiresAt !== undefined) update.expiresAt = Math.max(update.expiresAt ?? 0, effect.expiresAt);
    byCounter.set(effect.counter, update);
  }
  return [...byCounter.values()];
}

/**
 * `ADD` keeps counters exact under concurrency; on an increment the condition keeps `value` within its
 * limit (value + amount ≤ limit), checked by DynamoDB in the same transaction as the job write.
 */
export function counterUpdate(tableName: string, update: CounterItemUpdate) {
  const fields = Object.entries(update.adds);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = fields.map(([field, amount], index) => {
    names[`#f${index}`] = field;
    values[`:a${index}`] = amount;
    return `#f${index} :a${index}`;
  });
  const increment = update.adds.value ?? 0;
  // An increment of 0 with a limit is a pure condition ("the queue is empty"); decrements never fail.
  const limited = update.limit !== undefined && increment >= 0;
  if (limited) {
    names['#value'] = 'value';
    values[':ceiling'] = round((update.limit ?? 0) - increment);
  }
  let expression = `ADD ${adds.join(', ')}`;
  if (update.expiresAt !== undefined) {
    names['#expiresAt'] = 'expiresAt';
    values[':expiresAt'] = update.expiresAt;
    expression += ' SET #expiresAt = :expiresAt';
  }
  return {
    TableName: tableName,
    Key: keys.counter(update.counter),
    UpdateExpression: expression,
    // A missing counter is 0: it has room unless the ceiling is below 0 (an increment above the limit, e.g. a
    // global-concurrency shard whose part of a small limit is 0), and then the comparison fails on it too.
    ...(limited
      ? {
          ConditionExpression:
            Number(values[':ceiling']) >= 0 ? 'attribute_not_exists(#value) OR #value <= :ceiling' : '#value <= :ceiling',
        }
      : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Budgets are fractional: keep float noise from turning "exactly full" into "over". */
const round = roundAmount;

/**
 * Current `value` of counters (0 when never written), read consistently. The global concurrency counter is
 * stored as shards (global-shards.ts): asked for by its name, it reads as their sum.
 */
export async function readCounterValues(
  doc: DynamoDBDocumentClient,
  tableName: string,
  counters: readonly string[],
): Promise<Record<string, number>> {
  const global = counters.includes(GLOBAL_CONCURRENCY);
  const stored = global ? [...counters.filter((c) => c !== GLOBAL_CONCURRENCY), ...GLOBAL_SHARD_COUNTERS] : counters;
  const values = await readStoredValues(doc, tableName, stored);
  if (global) values[GLOBAL_CONCURRENCY] = globalInUse(values);
  return Object.fromEntries(counters.map((c) => [c, values[c] ?? 0]));
}

async function readStoredValues(
  doc: DynamoDBDocumentClient,
  tableName: string,
  counters: readonly string[],
): Promise<Record<string, number>> {
  const values: Record<string, number> = Object.fromEntries(counters.map((c) => [c, 0]));
  const unique = [...new Set(counters)];
  for (let start = 0; start < unique.length; start += 100) {
    const batch = unique.slice(start, start + 100);
    const byKey = new Map(batch.map((counter) => [JSON.stringify(keys.counter(counter)), counter]));
    const result = await doc.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch.map((c) => keys.counter(c)), ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[tableName] ?? []) {
      const counter = byKey.get(JSON.stringify({ pk: String(item.pk), sk: String(item.sk) }));
      if (counter) values[counter] = round(Number(item.value ?? 0));
    }
  }
  return values;
}
