import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { DeliveryAttempt, DeliveryLog, DeliveryRecord } from '#domain/notifications/notifications.port';
import type { ListOptions, Page } from '#domain/page';
import { pick, queryPage } from './dynamo-versioned';
import * as keys from './table-keys';

/** How long a claim holds a (event, channel) pair against a concurrent duplicate of the same message. */
const LEASE_MS = 60_000;
/** Delivery records expire (DynamoDB TTL) after this many days. */
const RETENTION_DAYS = 30;

/** A stored record, validated on read; attributes the log does not show (lease, TTL) are dropped. */
const deliveryRecordSchema = z.object({
  channelId: z.string(),
  eventId: z.string(),
  eventType: z._default(z.string(), 'unknown'),
  status: z._default(z.enum(['delivered', 'failed', 'sending']), 'sending'),
  attempt: z._default(z.number(), 0),
  lastAttemptAt: z._default(z.string(), ''),
  latencyMs: z.optional(z.nullable(z.number())),
  responseCode: z.optional(z.nullable(z.number())),
  lastError: z.optional(z.nullable(z.string())),
  deliveredAt: z.optional(z.string()),
});

const toRecord = (item: z.infer<typeof deliveryRecordSchema>): DeliveryRecord => ({
  channelId: item.channelId,
  eventId: item.eventId,
  eventType: item.eventType,
  status: item.status,
  attempt: item.attempt,
  lastAttemptAt: item.lastAttemptAt,
  ...(item.latencyMs != null ? { latencyMs: item.latencyMs } : {}),
  ...(item.responseCode != null ? { responseCode: item.responseCode } : {}),
  ...(item.lastError != null ? { lastError: item.lastError } : {}),
  ...(item.deliveredAt ? { deliveredAt: item.deliveredAt } : {}),
});

/**
 * Delivery records (`ORG#<org>#NOTIFICATION_DELIVERIES#<channelId>` / `DELIVERY#<eventId>`): the idempotency
 * key of notifications and the per-channel delivery log (status, response code, latency, attempt; never a
 * body, URL, address or secret).
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
  ): Promise<DeliveryRecord> {
    const values: Record<string, unknown> = {
      ':status': outcome.ok ? 'delivered' : 'failed',
      ':attempt': outcome.attempt,
      ':type': outcome.eventType,
      ':at': outcome.at,
      ':latency': outcome.latencyMs,
      ':code': outcome.status ?? null,
      ':error': outcome.error?.slice(0, 500) ?? null,
    };
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notificationDelivery(orgId, eventId, channelId),
        UpdateExpression: `SET #status = :status, attempt = :attempt, eventType = :type, lastAttemptAt = :at, latencyMs = :latency, responseCode = :code, lastError = :error${outcome.ok ? ', deliveredAt = :at' : ''} REMOVE leaseUntil`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toRecord(deliveryRecordSchema.parse(result.Attributes));
  }

  async list(orgId: string, channelId: string, options: ListOptions): Promise<Page<DeliveryRecord>> {
    const pk = keys.notificationDeliveryPartition(orgId, channelId);
    const page = await queryPage(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      deliveryRecordSchema,
      { ...options, partition: { attribute: 'pk', value: pk }, keyOf: (item) => pick(item, ['pk', 'sk']) },
    );
    return { items: page.items.map(toRecord), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
