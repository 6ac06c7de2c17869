import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userSchema, type User } from '#domain/users/user.schema';
import type { UserRepository } from '#domain/identity/identity.port';
import { replaceVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { userIndexAttributes, withoutKeys } from './keys';

export class DynamoUserRepository implements UserRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<User | undefined> {
    // Strongly consistent: a disable or a demotion must hold from the very next sign-in or token check.
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id), ConsistentRead: true }));
    return result.Item ? userSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async create(user: User): Promise<boolean> {
    const item = userSchema.parse(user);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...keys.user(item.id), ...userIndexAttributes(item) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  save(next: User, expectedVersion: number): Promise<boolean> {
    const item = userSchema.parse(next);
    return replaceVersioned(
      this.doc,
      this.tableName,
      { ...item, ...keys.user(item.id), ...userIndexAttributes(item) },
      expectedVersion,
      'authzVersion',
    );
  }
}
