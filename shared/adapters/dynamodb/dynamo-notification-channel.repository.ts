import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#domain/events/event-envelope';
import { notificationChannelSchema, type NotificationChannel } from '#domain/notifications/notification-channel.schema';
import type { NotificationChannelRepository } from '#domain/notifications/notifications.port';
import type { ListOptions, Page } from '#domain/page';
import { outboxPuts } from './dynamo-event-outbox.repository';
import { deleteExisting, pick, putVersioned, queryPage } from './dynamo-versioned';
import { withoutKeys } from './keys';
import * as keys from './table-keys';

/** Notification channels (`ORG#<orgId>#NOTIFICATION_CHANNELS` / `CHANNEL#<id>`), listed by id (creation order). */
export class DynamoNotificationChannelRepository implements NotificationChannelRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orgId: string, id: string): Promise<NotificationChannel | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.notificationChannel(orgId, id) }));
    return result.Item ? notificationChannelSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  list(orgId: string, options: ListOptions): Promise<Page<NotificationChannel>> {
    const pk = keys.notificationChannelPartition(orgId);
    return queryPage(
      this.doc,
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
      notificationChannelSchema,
      { ...options, partition: { attribute: 'pk', value: pk }, keyOf: (item) => pick(item, ['pk', 'sk']) },
    );
  }

  save(channel: NotificationChannel, expectedVersion: number): Promise<boolean> {
    const item = notificationChannelSchema.parse(channel);
    return putVersioned(this.doc, this.tableName, { ...item, ...keys.notificationChannel(item.orgId, item.id) }, expectedVersion);
  }

  remove(orgId: string, id: string): Promise<boolean> {
    return deleteExisting(this.doc, this.tableName, keys.notificationChannel(orgId, id));
  }

  async setDegraded(
    orgId: string,
    id: string,
    degraded: { at: string; reason: string } | undefined,
    events: readonly DomainEvent[] = [],
  ): Promise<void> {
    const change = {
      TableName: this.tableName,
      Key: keys.notificationChannel(orgId, id),
      ConditionExpression: 'attribute_exists(pk)',
      ...(degraded
        ? {
            UpdateExpression: 'SET degradedAt = :at, degradedReason = :reason',
            ExpressionAttributeValues: { ':at': degraded.at, ':reason': degraded.reason.slice(0, 500) },
          }
        : { UpdateExpression: 'REMOVE degradedAt, degradedReason' }),
    };
    try {
      if (events.length === 0) await this.doc.send(new UpdateCommand(change));
      // With events: the change and its outbox items in one transaction.
      else await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: change }, ...outboxPuts(this.tableName, events)] }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return;
      throw error;
    }
  }
}
