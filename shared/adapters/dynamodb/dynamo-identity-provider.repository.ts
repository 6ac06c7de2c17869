import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#domain/errors/app-error';
import { identityProviderSchema, type IdentityProvider } from '#domain/identity/identity-provider.schema';
import type { IdentityProviderRepository } from '#domain/identity/identity.port';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/**
 * Identity provider configurations: one small partition (`IDP`), read whole with one Query. Readers on a
 * hot path (the authorizer) wrap this in {@link CachedIdentityProviders}.
 */
export class DynamoIdentityProviderRepository implements IdentityProviderRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<IdentityProvider | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.identityProvider(id) }));
    return result.Item ? identityProviderSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async list(): Promise<IdentityProvider[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.identityProviderPartition() },
    });
    return items.map((item) => identityProviderSchema.parse(withoutKeys(item)));
  }

  async put(provider: IdentityProvider, options: { expectNew: boolean }): Promise<void> {
    const item = identityProviderSchema.parse(provider);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...keys.identityProvider(item.id) },
          ConditionExpression: options.expectNew ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw options.expectNew
        ? new AppError('conflict', `Identity provider ${item.id} already exists`)
        : new AppError('not_found', 'Identity provider not found');
    }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.identityProvider(id), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }
}

/**
 * A read-through cache of the provider list, for the authorizer: configuration changes take effect within
 * `ttlMs` (default 60 s), and a warm authorizer pays no round trip for them.
 */
export class CachedIdentityProviders {
  private cached: { value: Promise<IdentityProvider[]>; until: number } | undefined;

  constructor(
    private readonly source: Pick<IdentityProviderRepository, 'list'>,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<IdentityProvider[]> {
    if (this.cached && this.cached.until > this.now()) return this.cached.value;
    const value = this.source.list();
    this.cached = { value, until: this.now() + this.ttlMs };
    value.catch(() => (this.cached = undefined));
    return value;
  }
}
