import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userSchema, type User, type UserRepository } from '../../domain/identity/user.schema';
import { keys, userIndexAttributes, withoutKeys } from './keys';

export class DynamoUserRepository implements UserRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<User | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id) }));
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

  async put(user: User): Promise<void> {
    const item = userSchema.parse(user);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...item, ...keys.user(item.id), ...userIndexAttributes(item) } }));
  }
}
