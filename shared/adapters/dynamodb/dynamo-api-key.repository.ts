import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ApiKeyRecord, apiKeyRecordSchema } from '#domain/identity/api-key.schema';
import type { ApiKeyRepository, RevokeOutcome } from '#domain/identity/identity.port';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/**
 * API keys: one item per key, keyed by the key's SHA-256 so the authorizer finds it with one GetItem; the
 * owner's listing is a gsi1 query. The key itself is never stored.
 */
export class DynamoApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<void> {
    const item = apiKeyRecordSchema.parse(record);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...item,
          ...keys.apiKey(item.keyHash),
          gsi1pk: keys.ownerApiKeysPartition(item.ownerId),
          gsi1sk: `${item.createdAt}#${item.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(keyHash), ConsistentRead: true }));
    return result.Item ? apiKeyRecordSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async listByOwner(ownerId: string): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ownerApiKeysPartition(ownerId) },
    });
    return items.map((item) => apiKeyRecordSchema.parse(withoutKeys(item)));
  }

  async revoke(ownerId: string, id: string, at: string): Promise<RevokeOutcome> {
    const record = (await this.listByOwner(ownerId)).find((candidate) => candidate.id === id);
    if (!record) return 'not_found';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(record.keyHash),
          UpdateExpression: 'SET revokedAt = :at',
          // The first revocation stands: its time is kept, and a second one changes nothing.
          ConditionExpression: 'ownerId = :owner AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at, ':owner': ownerId },
        }),
      );
      return 'revoked';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'already_revoked';
      throw error;
    }
  }

  async touch(keyHash: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(keyHash),
          UpdateExpression: 'SET lastUsedAt = :at',
          // Never resurrect a deleted key's item, never move the time backwards.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :at)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
