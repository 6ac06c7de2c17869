import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { LoginState, LoginStateStore, RefreshTokenRecord, RefreshTokenStore, RotationOutcome } from '#domain/identity/identity.port';
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
  // Records written before token families existed have neither: each is then a family of its own.
  id: z.optional(z.string()),
  familyId: z.optional(z.string()),
  tokenHash: z.string(),
  userId: z.string(),
  origin: z.string(),
  createdAt: z.string(),
  expiresAt: z.number(),
  usedAt: z.optional(z.string()),
  replacedBy: z.optional(z.string()),
});

function refreshRecord(item: Record<string, unknown>): RefreshTokenRecord {
  const stored = refreshSchema.parse(withoutKeys(item));
  const id = stored.id ?? stored.tokenHash.slice(0, 26);
  return { ...stored, id, familyId: stored.familyId ?? id };
}

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

/**
 * Refresh tokens, stored by hash and redeemed once (rotation). A redeemed token is marked used, not
 * deleted, until its TTL: presented again it is recognized as a replay, and its family is revoked.
 */
export class DynamoRefreshTokenStore implements RefreshTokenStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: RefreshTokenRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: this.item(record), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.refreshToken(tokenHash), ConsistentRead: true }),
    );
    return Item ? refreshRecord(Item) : undefined;
  }

  async rotate(spent: RefreshTokenRecord, next: RefreshTokenRecord, usedAt: string): Promise<RotationOutcome> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.refreshToken(spent.tokenHash),
                UpdateExpression: 'SET usedAt = :usedAt, replacedBy = :next, familyId = :family, id = :id',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
                ExpressionAttributeValues: { ':usedAt': usedAt, ':next': next.id, ':family': spent.familyId, ':id': spent.id },
              },
            },
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.refreshFamily(spent.familyId),
                ConditionExpression: 'attribute_not_exists(revokedAt)',
              },
            },
            { Put: { TableName: this.tableName, Item: this.item(next), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return 'rotated';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (error.CancellationReasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed[1]) return 'family_revoked';
      if (failed[0]) return 'already_used';
      throw error;
    }
  }

  async revokeFamily(familyId: string, revokedAt: string, expiresAt: number): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.refreshFamily(familyId),
          // The first revocation's time stands; the expiry only ever moves later.
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), familyId = :family, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(expiresAt) OR expiresAt < :expires',
          ExpressionAttributeValues: { ':at': revokedAt, ':family': familyId, ':expires': expiresAt },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  private item(record: RefreshTokenRecord): Record<string, unknown> {
    return { ...refreshSchema.parse(record), ...keys.refreshToken(record.tokenHash) };
  }
}
