import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoApprovalRequests } from '#adapters/dynamodb/dynamo-approval-requests.repository';
import { DynamoCurrentUsers } from '#adapters/dynamodb/dynamo-current-users.repository';
import { DynamoDeliveryLog } from '#adapters/dynamodb/dynamo-delivery-log.repository';
import { DynamoLevelCatalog } from '#adapters/dynamodb/dynamo-level.repository';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import { DynamoPersonalSubscriptionRepository } from '#adapters/dynamodb/dynamo-personal-subscription.repository';
import { channelSenders } from '#adapters/outbound/channel-senders.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { approvalLinkKeyFrom, mintApprovalLinks } from '#domain/approvals/approval-links';
import { parseCatalogEvent } from '#domain/event-catalog/event-catalog';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { EventPublisher } from '#domain/events/events.port';
import { retryDelaySeconds } from '#domain/notifications/delivery-retry';
import type { EmailTransport } from '#domain/notifications/notifications.port';
import { notify, type NotifierDeps } from '#domain/notifications/notifier.service';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { NotifierEnv } from './notifier.env';

/** Schedules a failed message's next receive (SQS ChangeMessageVisibility on the notification queue). */
export interface Redelivery {
  retryIn(receiptHandle: string, seconds: number): Promise<void>;
}

/** Log lines name messages, events and channels, and errors without URLs, addresses or secrets. */
export interface NotifierLog {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface NotifierOptions {
  /** The queue's maxReceiveCount: that attempt is the last one before the DLQ. */
  maxAttempts: number;
  redelivery: Redelivery;
  log: NotifierLog;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

function parseMessage(body: string): DomainEvent | undefined {
  try {
    return parseCatalogEvent(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/**
 * The notifier function: SQS batches of catalog events (the EventBridge rule delivers each envelope), partial
 * batch failures. An event that some channel could not take comes back after a jittered backoff that honours
 * the target's `Retry-After`; its last attempt marks the channel degraded, publishes `system.webhook_failure`
 * and lets SQS move the message to the DLQ at once. Channels that already succeeded are skipped on every retry
 * (delivery records). A message that is not a catalog event can never succeed: dropped and logged.
 */
export function createNotifier(deps: NotifierDeps, options: NotifierOptions) {
  const { log, redelivery, maxAttempts } = options;
  return async (batch: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of batch.Records) {
      const event = parseMessage(record.body);
      if (!event) {
        log.error('Dropping a notification message that is not a catalog event', { messageId: record.messageId });
        continue;
      }
      const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
      const finalAttempt = attempt >= maxAttempts;
      const context = { messageId: record.messageId, eventId: event.id, eventType: event.type, attempt };
      try {
        const outcome = await notify(event, attempt, finalAttempt, deps);
        if (outcome.failed.length === 0) continue;
        const retryAfter = Math.max(-1, ...outcome.failed.map((failure) => failure.retryAfterSeconds ?? -1));
        const delay = finalAttempt ? 0 : retryDelaySeconds(attempt, retryAfter >= 0 ? retryAfter : undefined, options.random);
        log.warn(finalAttempt ? 'Notification given up for some channels; to the DLQ' : 'Notification failed for some channels; retrying', {
          ...context,
          retryInSeconds: delay,
          failed: outcome.failed.map(({ channelId, error }) => ({ channelId, error })),
        });
        await redelivery
          .retryIn(record.receiptHandle, delay)
          .catch((error: unknown) =>
            log.error('Could not schedule the retry; the queue default applies', { ...context, error: errorName(error) }),
          );
        batchItemFailures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        // The table or the secret store is out: the same backoff, so an outage is not hammered every few seconds.
        const delay = finalAttempt ? 0 : retryDelaySeconds(attempt, undefined, options.random);
        log.error('Notification failed; retrying', { ...context, retryInSeconds: delay, error: errorName(error) });
        await redelivery.retryIn(record.receiptHandle, delay).catch(() => undefined);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'unknown');

/** Everything the notifier takes besides its env: Lambda passes AWS clients, the local stack its stand-ins. */
export interface NotifierEdges {
  doc: DynamoDBDocumentClient;
  secrets: SecretStore;
  events: EventPublisher;
  email: EmailTransport;
  redelivery: Redelivery;
  log: NotifierLog;
  random?: () => number;
}

/** The notifier function, as Lambda, the local stack and the tests build it. */
export function composeNotifier(env: NotifierEnv, edges: NotifierEdges) {
  const table = env.QM_TABLE_NAME;
  const deliveries = new DynamoDeliveryLog(edges.doc, table);
  const linkKey = approvalLinkKeyFrom(edges.secrets, env.QM_APPROVAL_LINK_KEY_SECRET_ID);
  const deps: NotifierDeps = {
    channels: new DynamoNotificationChannelRepository(edges.doc, table),
    deliveries,
    senders: channelSenders({
      secrets: edges.secrets,
      transport: edges.email,
      // Loopback targets (the dev webhook receiver) only in the local stack; loadEnv refuses QM_LOCAL_STACK in Lambda.
      policy: { allowLoopback: env.QM_LOCAL_STACK === 'true' },
      clock: systemClock,
      timeoutMs: env.QM_NOTIFY_TIMEOUT_MS,
      consoleUrl: env.QM_CONSOLE_URL,
    }),
    events: edges.events,
    clock: systemClock,
    ids: ulidSource(),
    personal: {
      subscriptions: new DynamoPersonalSubscriptionRepository(edges.doc, table),
      users: new DynamoCurrentUsers(edges.doc, table),
      // Custom levels change rarely; at most 60 s old, as the access gate reads them.
      levels: new DynamoLevelCatalog(edges.doc, table, 60_000),
      approvals: new DynamoApprovalRequests(edges.doc, table),
      deliveries,
      email: edges.email,
      approvalLinks: (target) => mintApprovalLinks(target, systemClock.now(), { apiBaseUrl: env.QM_APPROVAL_LINK_BASE_URL, key: linkKey }),
      consoleUrl: env.QM_CONSOLE_URL,
      clock: systemClock,
    },
  };
  return createNotifier(deps, {
    maxAttempts: env.QM_NOTIFY_MAX_ATTEMPTS,
    redelivery: edges.redelivery,
    log: edges.log,
    ...(edges.random ? { random: edges.random } : {}),
  });
}
