import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import type { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import type { EventPublisher } from '#domain/events/events.port';
import { SqsEmailQueue } from '#adapters/sqs/sqs-email-queue.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { eventEnvelopeSchema } from '#domain/events/event-envelope';
import { NOTIFICATION_PATTERN } from '#domain/event-catalog/event-rules';
import type { NotificationChannel } from '#domain/notifications/notification-channel.schema';
import type { EmailTransport } from '#domain/notifications/notifications.port';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { composeEmailSender } from '#functions/events/email-sender/email-sender.app';
import { emailSenderEnvSchema } from '#functions/events/email-sender/email-sender.env';
import { composeNotifier } from '#functions/events/notifier/notifier.app';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { startDevMailbox, type DevMailbox } from './dev-notifications/dev-mailbox';
import { startDevWebhookReceiver, type DevWebhookReceiver } from './dev-notifications/dev-webhook-receiver';
import { SmtpEmailTransport } from './dev-notifications/smtp-email.transport';
import { startSqsPoller } from './local-workers';
import { ensureQueueWithDlq } from './sqs-local';

/** The From address of local email (the dev mailbox accepts any). */
export const LOCAL_EMAIL_FROM = 'notifications@quartermaster.local';
/** Receives before the DLQ, as the deployed queue's maxReceiveCount. */
export const LOCAL_NOTIFY_MAX_ATTEMPTS = 6;

export interface LocalNotifications {
  mailbox: DevMailbox;
  receiver: DevWebhookReceiver;
  /** SMTP to the dev mailbox: the local stand-in for SES, which the email sender sends through. */
  email: SmtpEmailTransport;
  queueUrl: string;
  dlqUrl: string;
  /** The email queue the notifier hands rendered emails to, consumed by the email sender, and its DLQ. */
  emailQueueUrl: string;
  emailDlqUrl: string;
  stop(): Promise<void>;
}

export interface LocalNotificationsOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  sqs: SQSClient;
  bus: InProcessEventBus;
  /** Where the notifier records `system.webhook_failure`: the table's outbox, as deployed. */
  events: EventPublisher;
  secrets: SecretStore;
  consoleUrl: string;
  /** Where approval links in email point: the local API (the approval-links function answers there). */
  apiBaseUrl: string;
  /** The approval-link key's reference in `secrets` (`localApprovalLinkKey`). */
  approvalLinkKeyRef: string;
  dataDir?: string | undefined;
  ports?: { mailbox?: number; smtp?: number; receiver?: number };
  log: (message: string, details?: Record<string, unknown>) => void;
  onError: (error: unknown) => void;
}

/**
 * The notification queue and its DLQ on local-aws-sqs. The emulator counts each ChangeMessageVisibility as a
 * receive (real SQS does not), and the notifier changes a failed message's visibility once per attempt to
 * schedule the next one: so the emulator's maxReceiveCount is twice the attempts, which moves a message to the
 * DLQ right after its last attempt, as the deployed queue (maxReceiveCount = attempts) does. The local poller
 * reports the true attempt number to the function (local-workers.ts).
 */
export function ensureNotificationQueues(sqs: SQSClient, name: string, maxAttempts: number) {
  return ensureQueueWithDlq(sqs, { name, visibilityTimeoutSeconds: 30, maxReceiveCount: 2 * maxAttempts });
}

/**
 * The email queue and its DLQ on local-aws-sqs, consumed by the email sender's one composition through the local
 * event source mapping, sending over `transport` (SMTP to the dev mailbox, the local stand-in for SES). A refused
 * email comes back after the visibility timeout (5 s by default here), up to `maxAttempts` receives.
 */
export async function startLocalEmailSender(
  sqs: SQSClient,
  name: string,
  transport: EmailTransport,
  options: Pick<LocalNotificationsOptions, 'log' | 'onError'> & { visibilityTimeoutSeconds?: number; maxAttempts?: number },
): Promise<{ queueUrl: string; dlqUrl: string; stop(): Promise<void> }> {
  const maxAttempts = options.maxAttempts ?? LOCAL_NOTIFY_MAX_ATTEMPTS;
  const { queueUrl, dlqUrl } = await ensureQueueWithDlq(sqs, {
    name,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
    maxReceiveCount: maxAttempts,
  });
  const env = loadEnv(emailSenderEnvSchema, {
    QM_STAGE: 'local',
    QM_LOCAL_STACK: 'true',
    QM_EMAIL_FROM: LOCAL_EMAIL_FROM,
    QM_EMAIL_MAX_ATTEMPTS: String(maxAttempts),
  });
  const sender = composeEmailSender(env, { email: transport, log: { warn: options.log, error: options.log } });
  const poller = startSqsPoller(sqs, queueUrl, sender, options.onError);
  return { queueUrl, dlqUrl, stop: () => poller.stop() };
}

/** The receiver's secret stays the same across restarts of one data dir, so the seeded channel keeps verifying. */
async function receiverSecret(dataDir: string | undefined): Promise<string> {
  if (!dataDir) return newWebhookSecret();
  const file = join(dataDir, 'dev-webhook-secret');
  const stored = await readFile(file, 'utf8').catch(() => '');
  if (stored.startsWith('whsec_')) return stored.trim();
  const secret = newWebhookSecret();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Notifications in the local stack, wired as deployed: the bus routes every subscribable event (the same
 * NOTIFICATION_PATTERN the EventBridge rule uses) to a local SQS queue with a DLQ, and the notifier's one
 * composition consumes it with partial batch failures. Stand-ins where AWS parts do not run here: SMTP to the
 * dev mailbox for SES, the dev webhook receiver for the world's webhook targets.
 */
export async function startLocalNotifications(options: LocalNotificationsOptions): Promise<LocalNotifications> {
  const stops: (() => Promise<void>)[] = [];
  const mailbox = await startDevMailbox({ smtpPort: options.ports?.smtp, httpPort: options.ports?.mailbox });
  stops.push(() => mailbox.stop());
  const receiver = await startDevWebhookReceiver({ port: options.ports?.receiver, secret: await receiverSecret(options.dataDir) });
  stops.push(() => receiver.stop());
  const email = new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: LOCAL_EMAIL_FROM });

  const { queueUrl, dlqUrl } = await ensureNotificationQueues(options.sqs, 'qm-notifications', LOCAL_NOTIFY_MAX_ATTEMPTS);
  const emailQueues = await startLocalEmailSender(options.sqs, 'qm-email', email, options);
  stops.push(() => emailQueues.stop());
  options.bus.subscribe(NOTIFICATION_PATTERN, async (event) => {
    await options.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(eventEnvelopeSchema.parse(event)) }));
  });
  const env = loadEnv(notifierEnvSchema, {
    QM_TABLE_NAME: options.tableName,
    QM_STAGE: 'local',
    QM_LOCAL_STACK: 'true',
    QM_CONSOLE_URL: options.consoleUrl,
    QM_EMAIL_FROM: LOCAL_EMAIL_FROM,
    QM_NOTIFICATION_QUEUE_URL: queueUrl,
    QM_NOTIFY_MAX_ATTEMPTS: String(LOCAL_NOTIFY_MAX_ATTEMPTS),
    QM_APPROVAL_LINK_KEY_SECRET_ID: options.approvalLinkKeyRef,
    QM_APPROVAL_LINK_BASE_URL: options.apiBaseUrl,
    QM_EMAIL_QUEUE_URL: emailQueues.queueUrl,
  });
  const notifier = composeNotifier(env, {
    doc: options.doc,
    secrets: options.secrets,
    events: options.events,
    // As deployed: rendered emails go to the email queue, and the email sender sends them (here over SMTP).
    email: new SqsEmailQueue(options.sqs, emailQueues.queueUrl),
    redelivery: new SqsRedelivery(options.sqs, queueUrl),
    log: { warn: options.log, error: options.log },
  });
  const poller = startSqsPoller(options.sqs, queueUrl, notifier, options.onError);
  stops.push(() => poller.stop());
  await seedDevChannels(options, receiver);
  return {
    mailbox,
    receiver,
    email,
    queueUrl,
    dlqUrl,
    emailQueueUrl: emailQueues.queueUrl,
    emailDlqUrl: emailQueues.dlqUrl,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(options.onError);
    },
  };
}

/**
 * Two channels of the demo org acme that receive everything: email to the dev mailbox and a signed webhook to
 * the dev receiver (its URL and secret refreshed at every start, as ports may change).
 */
async function seedDevChannels(options: LocalNotificationsOptions, receiver: DevWebhookReceiver): Promise<void> {
  const channels = new DynamoNotificationChannelRepository(options.doc, options.tableName);
  const at = new Date().toISOString();
  const secretRef = await options.secrets.put('notifications/acme/dev-webhook', JSON.stringify({ current: receiver.secret }));
  const seeds: Omit<NotificationChannel, 'createdAt' | 'updatedAt' | 'version'>[] = [
    {
      schemaVersion: 1,
      orgId: 'acme',
      id: 'dev-mailbox',
      name: 'Dev mailbox (local stack)',
      kind: 'email',
      enabled: true,
      emailTo: ['ops@acme.test'],
      subscriptions: [{ events: ['*'] }],
      createdBy: 'seed',
    },
    {
      schemaVersion: 1,
      orgId: 'acme',
      id: 'dev-webhook',
      name: 'Dev webhook receiver (local stack)',
      kind: 'webhook',
      enabled: true,
      webhookUrl: `${receiver.url}/hooks`,
      secretRef,
      secretUpdatedAt: at,
      subscriptions: [{ events: ['*'] }],
      createdBy: 'seed',
    },
  ];
  for (const seed of seeds) {
    const existing = await channels.get(seed.orgId, seed.id);
    const version = existing?.version ?? 0;
    await channels.save({ ...seed, createdAt: existing?.createdAt ?? at, updatedAt: at, version: version + 1 }, version);
  }
}
