import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from './cursor';
import { withoutKeys } from './keys';

/**
 * Small write and read helpers shared by the administrative repositories (orgs, teams, users, levels,
 * rules, templates): optimistic concurrency on a version attribute, and validated, cursor-paged queries.
 */

/**
 * Puts `item` if the stored one is still at `expectedVersion` (0 = must not exist yet). False when the
 * condition failed: the id is taken, or someone changed the item since it was read.
 */
export async function putVersioned(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  expectedVersion: number,
  versionAttribute = 'version',
): Promise<boolean> {
  const created = expectedVersion === 0;
  const condition = created ? 'attribute_not_exists(pk)' : '#v = :v';
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: condition,
        ...(created ? {} : { ExpressionAttributeNames: { '#v': versionAttribute }, ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Replaces an existing item at `expectedVersion`; records from before versioning have none, which counts as 0. */
export async function replaceVersioned(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  expectedVersion: number,
  versionAttribute: string,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression:
          expectedVersion === 0 ? 'attribute_exists(pk) AND (attribute_not_exists(#v) OR #v = :v)' : 'attribute_exists(pk) AND #v = :v',
        ExpressionAttributeNames: { '#v': versionAttribute },
        ExpressionAttributeValues: { ':v': expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Deletes the item if it exists; false when it did not. */
export async function deleteExisting(doc: DynamoDBDocumentClient, tableName: string, key: Record<string, string>): Promise<boolean> {
  try {
    await doc.send(new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * One page of a query, each item validated with `schema`. With a filter, DynamoDB applies `Limit` before
 * filtering, so pages are read until `limit` items matched (at most `maxReads` requests); the cursor then
 * points just after the last item returned, so nothing is skipped. The cursor is bound to the partition.
 */
export async function queryPage<S extends z.core.$ZodType>(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  schema: S,
  page: {
    limit: number;
    cursor?: string | undefined;
    partition: { attribute: string; value: string };
    keyOf: (item: Record<string, unknown>) => Record<string, unknown>;
    maxReads?: number;
  },
): Promise<{ items: z.infer<S>[]; nextCursor?: string }> {
  const items: z.infer<S>[] = [];
  let lastRaw: Record<string, unknown> | undefined;
  let startKey: Record<string, unknown> | undefined = decodeCursor(page.cursor, page.partition);
  const filtered = input.FilterExpression !== undefined;
  for (let read = 0; read < (page.maxReads ?? 10); read += 1) {
    const result = await doc.send(
      new QueryCommand({
        ...input,
        Limit: filtered ? Math.max(page.limit * 2, 50) : page.limit + 1,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const raw of result.Items ?? []) {
      if (items.length === page.limit) return { items, nextCursor: encodeCursor(page.keyOf(lastRaw as Record<string, unknown>)) as string };
      items.push(z.parse(schema, withoutKeys(raw)));
      lastRaw = raw;
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return { items };
    if (items.length === page.limit) break;
  }
  const resume = items.length === page.limit && lastRaw ? page.keyOf(lastRaw) : startKey;
  return { items, ...(resume ? { nextCursor: encodeCursor(resume) as string } : {}) };
}

/** The named attributes of an item (a key for `ExclusiveStartKey`). */
export function pick(item: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}
