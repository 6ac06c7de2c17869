import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersonalSubscriptionRepository } from '#domain/notifications/notifications.port';
import { personalSubscriptionSchema, type PersonalSubscription } from '#domain/notifications/personal-subscription.schema';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';
import * as keys from './table-keys';

/**
 * Personal subscriptions (`ORG#<orgId>#PERSONAL_NOTIFICATIONS` / `USER#<userId>`): one small item per user who
 * ever chose, in one partition per org, so the notifier finds an org's approval subscribers with one Query
 * (filtered on `approvals`; the partition holds at most one item per user of the org).
 */
export class DynamoPersonalSubscriptionRepository implements PersonalSubscriptionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orgId: string, userId: string): Promise<PersonalSubscription | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.personalSubscription(orgId, userId), ConsistentRead: true }),
    );
    return result.Item ? personalSubscriptionSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async put(subscription: PersonalSubscription): Promise<void> {
    const item = personalSubscriptionSchema.parse(subscription);
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...item, ...keys.personalSubscription(item.orgId, item.userId) } }),
    );
  }

  async approvalSubscribers(orgId: string): Promise<PersonalSubscription[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'approvals = :yes',
      ExpressionAttributeValues: { ':pk': keys.personalSubscriptionPartition(orgId), ':yes': true },
    });
    return items.map((item) => personalSubscriptionSchema.parse(withoutKeys(item)));
  }
}
