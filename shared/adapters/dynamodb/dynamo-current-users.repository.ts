import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CurrentUserSource } from '#domain/users/users.port';
import { userSchema, type User } from '#domain/users/user.schema';
import { withoutKeys } from './keys';
import * as keys from './table-keys';

/**
 * The access gate's read of a user record (`USER#<id>` / `PROFILE`), strongly consistent: the gate must see
 * a disable or a demotion at the very next request. The administration directory extends it; every other
 * function carries only this read.
 */
export class DynamoCurrentUsers implements CurrentUserSource {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async currentUser(id: string): Promise<User | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.user(id), ConsistentRead: true }));
    return result.Item ? userSchema.parse(withoutKeys(result.Item)) : undefined;
  }
}
