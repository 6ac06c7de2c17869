import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyStatusSource } from '#domain/identity/identity.port';
import type { ApiKeyStatus } from '#domain/identity/api-key-status';
import * as keys from './table-keys';

/**
 * The access gate's read of an API key (`APIKEY#<sha256>` / `APIKEY`): strongly consistent and projected to
 * what decides its use, so a revocation applies at the very next request. Unexpected shapes read as unusable.
 */
export class DynamoApiKeyStatus implements ApiKeyStatusSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async statusOf(keyHash: string): Promise<ApiKeyStatus | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.apiKey(keyHash),
        ConsistentRead: true,
        ProjectionExpression: 'ownerId, expiresAt, revokedAt',
      }),
    );
    if (!Item || typeof Item.ownerId !== 'string' || typeof Item.expiresAt !== 'string') return undefined;
    return {
      ownerId: Item.ownerId,
      expiresAt: Item.expiresAt,
      ...(typeof Item.revokedAt === 'string' ? { revokedAt: Item.revokedAt } : {}),
    };
  }
}
