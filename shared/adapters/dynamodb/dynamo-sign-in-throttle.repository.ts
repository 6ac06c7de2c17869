import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FailureCount, SignInThrottleStore } from '#domain/identity/identity.port';
import * as keys from './table-keys';

/** Usernames and addresses are stored only as SHA-256: the counters say how often, never who or where from. */
const digest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * Sign-in failure counters (`THROTTLE#<sha256(key)>`), shared by every instance of every sign-in function.
 * Each expires (DynamoDB TTL) one window after its latest failure; reads are strongly consistent.
 */
export class DynamoSignInThrottle implements SignInThrottleStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(names: readonly string[]): Promise<Map<string, FailureCount>> {
    const counts = new Map<string, FailureCount>();
    await Promise.all(
      names.map(async (name) => {
        const { Item } = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: keys.signInThrottle(digest(name)), ConsistentRead: true }),
        );
        if (typeof Item?.failures === 'number' && typeof Item.lastFailureAt === 'number') {
          counts.set(name, { failures: Item.failures, lastFailureAt: Item.lastFailureAt });
        }
      }),
    );
    return counts;
  }

  async recordFailure(name: string, nowSeconds: number, windowSeconds: number): Promise<void> {
    const key = keys.signInThrottle(digest(name));
    const expiresAt = nowSeconds + windowSeconds;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD failures :one SET lastFailureAt = :now, expiresAt = :expires',
          // Within the window the count grows; a stale one (TTL deletes lazily) starts again below.
          ConditionExpression: 'attribute_exists(pk) AND lastFailureAt > :windowStart',
          ExpressionAttributeValues: { ':one': 1, ':now': nowSeconds, ':expires': expiresAt, ':windowStart': nowSeconds - windowSeconds },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, failures: 1, lastFailureAt: nowSeconds, expiresAt } }),
      );
    }
  }

  async clear(name: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.signInThrottle(digest(name)) }));
  }
}
