import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { LoginState, LoginStateStore } from '#domain/identity/oidc-login.service';
import type { RefreshTokenRecord, RefreshTokenStore } from '#domain/identity/session.service';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

const loginStateSchema = z.object({
  stateHash: z.string(),
  providerId: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
  expectedIssuer: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
});

const refreshSchema = z.object({
  tokenHash: z.string(),
  userId: z.string(),
  origin: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
});

/** Deletes the item and returns what it held, in one conditional write: exactly one caller gets it. */
async function consumeItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  try {
    const result = await doc.send(
      new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)', ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** OIDC login state: 10-minute TTL, consumed once. */
export class DynamoLoginStateStore implements LoginStateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(state: LoginState): Promise<void> {
    const item = loginStateSchema.parse(state);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...item, ...keys.loginState(item.stateHash) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(stateHash: string): Promise<LoginState | undefined> {
    const item = await consumeItem(this.doc, this.tableName, keys.loginState(stateHash));
    return item ? loginStateSchema.parse(withoutKeys(item)) : undefined;
  }
}

/** Refresh tokens, stored by hash and consumed once (rotation). */
export class DynamoRefreshTokenStore implements RefreshTokenStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: RefreshTokenRecord): Promise<void> {
    const item = refreshSchema.parse(record);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...item, ...keys.refreshToken(item.tokenHash) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const item = await consumeItem(this.doc, this.tableName, keys.refreshToken(tokenHash));
    return item ? refreshSchema.parse(withoutKeys(item)) : undefined;
  }
}
