import { userSchema, type User } from '#domain/users/user.schema';
import type { ListOptions, Page } from '#domain/page';
import type { UserDirectory, UserFilters } from '#domain/users/users.port';
import { pick, putVersioned, queryPage, replaceVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { DynamoCurrentUsers } from './dynamo-current-users.repository';
import { userIndexAttributes } from './keys';
import { queryPages } from './query-all';

/**
 * Users (`USER#<id>` / `PROFILE`) for administration: the gate's consistent read plus creation, versioned
 * saves and listing. Listing goes through gsi1 (`ORG#<orgId>#USERS`), which every writer of user items
 * keeps (`userIndexAttributes`).
 */
export class DynamoUserDirectory extends DynamoCurrentUsers implements UserDirectory {
  private item(user: User): Record<string, unknown> {
    const parsed = userSchema.parse(user);
    return { ...parsed, ...keys.user(parsed.id), ...userIndexAttributes(parsed) };
  }

  create(user: User): Promise<boolean> {
    return putVersioned(this.doc, this.tableName, this.item(user), 0);
  }

  save(next: User, expectedVersion: number): Promise<boolean> {
    return replaceVersioned(this.doc, this.tableName, this.item(next), expectedVersion, 'authzVersion');
  }

  list(orgId: string, filters: UserFilters, options: ListOptions): Promise<Page<User>> {
    const partition = keys.orgUsersPartition(orgId);
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':p': partition };
    if (filters.q) {
      conditions.push('contains(searchText, :q)');
      values[':q'] = filters.q.toLowerCase();
    }
    if (filters.level) {
      conditions.push('#level = :level');
      names['#level'] = 'level';
      values[':level'] = filters.level;
    }
    if (filters.status) {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filters.status;
    }
    if (filters.teamId) {
      conditions.push('contains(teamIds, :team)');
      values[':team'] = filters.teamId;
    }
    return queryPage(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      },
      userSchema,
      { ...options, partition: { attribute: 'gsi1pk', value: partition }, keyOf: (item) => pick(item, ['pk', 'sk', 'gsi1pk', 'gsi1sk']) },
    );
  }

  async anyWithLevel(orgId: string, level: string): Promise<boolean> {
    const pages = queryPages(this.doc, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      FilterExpression: '#level = :level',
      ExpressionAttributeNames: { '#level': 'level' },
      ExpressionAttributeValues: { ':p': keys.orgUsersPartition(orgId), ':level': level },
      ProjectionExpression: 'pk',
    });
    for await (const page of pages) if ((page.Items ?? []).length > 0) return true;
    return false;
  }
}
