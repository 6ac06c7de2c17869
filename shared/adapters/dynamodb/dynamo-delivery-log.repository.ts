import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryAttempt, DeliveryLog } from '#domain/notifications/notifications.port';
import * as keys from './table-keys';

/** How long a claim holds a (event, channel) pair against a concurrent duplicate of the same message. */
const LEASE_MS = 60_000;
/** Delivery records expire (DynamoDB TTL) after this many days. */
const RETENTION_DAYS = 30;

/**
 * Delivery records (`ORG#<org>#NOTIFICATION_DELIVERIES` / `DELIVERY#<eventId>#<channelId>`): the idempotency
 * key of notifications and the per-channel delivery log (status, response code, latency, attempt; never a
 * body, URL or secret).
 */
export class DynamoDeliveryLog implements DeliveryLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(orgId: string, eventId: string, channelId: string, at: string): Promise<boolean> {
    const now = Date.parse(at);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notificationDelivery(orgId, eventId, channelId),
          UpdateExpression: 'SET leaseUntil = :lease, channelId = :channel, eventId = :event, expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(deliveredAt) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeValues: {
            ':lease': now + LEASE_MS,
            ':now': now,
            ':channel': channelId,
            ':event': eventId,
            ':ttl': Math.floor(now / 1000) + RETENTION_DAYS * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async record(
    orgId: string,
    eventId: string,
    channelId: string,
    outcome: DeliveryAttempt & { attempt: number; eventType: string; at: string },
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':status': outcome.ok ? 'delivered' : 'failed',
      ':attempt': outcome.attempt,
      ':type': outcome.eventType,
      ':at': outcome.at,
      ':latency': outcome.latencyMs,
      ':code': outcome.status ?? null,
      ':error': outcome.error?.slice(0, 500) ?? null,
    };
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notificationDelivery(orgId, eventId, channelId),
        UpdateExpression: `SET #status = :status, attempt = :attempt, eventType = :type, lastAttemptAt = :at, latencyMs = :latency, responseCode = :code, lastError = :error${outcome.ok ? ', deliveredAt = :at' : ''} REMOVE leaseUntil`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }
}
