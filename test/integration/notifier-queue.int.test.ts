import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { jobEvent } from '#domain/jobs/job.events';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { NotificationChannel } from '#domain/notifications/notification-channel.schema';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { composeNotifier } from '#functions/events/notifier/notifier.app';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { startDevMailbox, type DevMailbox } from '#scripts/local/dev-notifications/dev-mailbox';
import { startDevWebhookReceiver, type DevWebhookReceiver } from '#scripts/local/dev-notifications/dev-webhook-receiver';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';
import { localClientConfig } from '#scripts/local/local-aws';
import { ensureNotificationQueues } from '#scripts/local/local-notifications';
import { startSqsPoller } from '#scripts/local/local-workers';
import { createTestTable, localEndpoints, uniqueName, type TestTable } from '#test-support/integration-env';
import { startTestRelay } from '#test-support/outbox-relay';
import { failedJob } from '#test-support/job-fixtures';

/**
 * The notifier as deployed, end to end on local parts: events on a local SQS queue with a DLQ, consumed by the
 * notifier's one composition through the local event source mapping (partial batch failures), channels and
 * delivery records in DynamoDB Local, webhooks to the dev receiver (verifies Standard Webhooks signatures) and
 * a flaky loopback target, email over SMTP to the dev mailbox (the local stand-in for SES, which does not run
 * here), secrets in the file store (standing in for Secrets Manager).
 */
const MAX_ATTEMPTS = 3;
const secret = newWebhookSecret();
const SLACK_PATH = '/services/T000/B000/SLACKSECRETPATH';
let table: TestTable;
let sqs: SQSClient;
let queues: { queueUrl: string; dlqUrl: string };
let mailbox: DevMailbox;
let receiver: DevWebhookReceiver;
let flaky: Server;
let flakyUrl: string;
let flakyFailures = 0;
const flakyArrivals: number[] = [];
const flakyVerified: unknown[] = [];
let secrets: EnvFileSecretStore;
const bus = new InProcessEventBus();
/** What the outbox relay put on `bus` (the notifier records `system.webhook_failure` with the degraded mark). */
let published: () => Promise<readonly DomainEvent[]>;
const logLines: string[] = [];
let poller: { stop(): Promise<void> };
const handled: SQSBatchResponse[] = [];

const channels = () => new DynamoNotificationChannelRepository(table.doc, table.tableName);

/** A channel for job events of one job (its subscription is narrowed by team `t-<jobId>`), so tests do not cross. */
async function saveChannel(teamId: string, overrides: Partial<NotificationChannel>, secretValue?: object): Promise<NotificationChannel> {
  const id = ulidSource().next();
  const secretRef = secretValue ? await secrets.put(`notifications/acme/${id}`, JSON.stringify(secretValue)) : undefined;
  const channel: NotificationChannel = {
    schemaVersion: 1,
    orgId: 'acme',
    id,
    name: 'channel',
    kind: 'webhook',
    enabled: true,
    ...(secretRef ? { secretRef } : {}),
    subscriptions: [{ events: ['job.*'], teamIds: [teamId] }],
    createdBy: 'seed',
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
  await channels().save(channel, 0);
  return channel;
}

function eventFor(teamId: string): DomainEvent {
  return jobEvent('job.failed', failedJob(ulidSource().next(), teamId), ulidSource().next(), new Date().toISOString());
}

const enqueue = (event: DomainEvent | string) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: typeof event === 'string' ? event : JSON.stringify(event) }));

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function records(channelId: string): Promise<Record<string, unknown>[]> {
  const page = await table.doc.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }));
  return (page.Items ?? []).filter((item) => String(item.pk).endsWith(`#NOTIFICATION_DELIVERIES#${channelId}`));
}

beforeAll(async () => {
  table = await createTestTable();
  const relay = await startTestRelay(table, bus);
  published = async () => {
    await relay.drain();
    return bus.published;
  };
  sqs = new SQSClient(localClientConfig(localEndpoints().sqs));
  queues = await ensureNotificationQueues(sqs, uniqueName('notify'), MAX_ATTEMPTS);
  secrets = new EnvFileSecretStore(await mkdtemp(join(tmpdir(), 'qm-notifier-queue-')));
  mailbox = await startDevMailbox();
  receiver = await startDevWebhookReceiver({ secret });
  flaky = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      flakyArrivals.push(Date.now());
      if (flakyFailures > 0) {
        flakyFailures -= 1;
        res.writeHead(503, { 'retry-after': '2' }).end();
        return;
      }
      flakyVerified.push(new Webhook(secret).verify(body, req.headers as Record<string, string>));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
  flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
  const env = loadEnv(notifierEnvSchema, {
    QM_TABLE_NAME: table.tableName,
    QM_LOCAL_STACK: 'true',
    QM_CONSOLE_URL: 'http://127.0.0.1:5173',
    QM_EMAIL_FROM: 'notifications@quartermaster.local',
    QM_NOTIFICATION_QUEUE_URL: queues.queueUrl,
    QM_NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    QM_NOTIFY_TIMEOUT_MS: '2000',
    QM_APPROVAL_LINK_KEY_SECRET_ID: 'file:approval-link-key',
    QM_APPROVAL_LINK_BASE_URL: 'http://127.0.0.1:8787',
  });
  const record = (level: string) => (message: string, details: Record<string, unknown>) =>
    logLines.push(JSON.stringify({ level, message, ...details }));
  const notifier = composeNotifier(env, {
    doc: table.doc,
    secrets,
    events: bus,
    email: new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: 'notifications@quartermaster.local' }),
    redelivery: new SqsRedelivery(sqs, queues.queueUrl),
    log: { warn: record('WARN'), error: record('ERROR') },
    // No jitter: the first retry comes after 1 s, or later when the target says so (Retry-After).
    random: () => 0,
  });
  const observed = async (batch: SQSEvent) => {
    const response = await notifier(batch);
    handled.push(response);
    return response;
  };
  poller = startSqsPoller(sqs, queues.queueUrl, observed, (error) => logLines.push(`poller: ${String(error)}`));
});

afterAll(async () => {
  await poller?.stop();
  await Promise.all([mailbox?.stop(), receiver?.stop(), new Promise<void>((resolve) => flaky.close(() => resolve()))]);
});

describe('notifier through local SQS (partial batch failures, retries, DLQ, degraded)', () => {
  it('delivers an event to a signed webhook (verified by the dev receiver) and by email (dev mailbox, SMTP stand-in for SES)', async () => {
    const hook = await saveChannel('t-ok', { webhookUrl: `${receiver.url}/hooks` }, { current: secret });
    const mail = await saveChannel('t-ok', { kind: 'email', emailTo: ['lin@acme.test'] });
    const event = eventFor('t-ok');
    await enqueue(event);
    const received = await until(() => receiver.received.find((entry) => (entry.body as DomainEvent | undefined)?.id === event.id));
    expect(received).toMatchObject({ verified: true, answered: 204 });
    const email = await until(() => mailbox.messages.find((message) => message.subject.includes(event.subject)));
    expect(email.to).toEqual(['lin@acme.test']);
    expect(email.text).toContain('Open in Quartermaster: http://127.0.0.1:5173/jobs/');
    await until(async () => (await records(mail.id))[0]?.status === 'delivered');
    expect(await records(hook.id)).toEqual([expect.objectContaining({ status: 'delivered', responseCode: 204, attempt: 1 })]);
  });

  it('sends a redelivered message at most once per channel', async () => {
    await saveChannel('t-dup', { webhookUrl: `${receiver.url}/hooks` }, { current: secret });
    const event = eventFor('t-dup');
    await enqueue(event);
    await enqueue(event);
    await until(() => handled.length >= 2 && receiver.received.some((entry) => (entry.body as DomainEvent | undefined)?.id === event.id));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.filter((entry) => (entry.body as DomainEvent | undefined)?.id === event.id)).toHaveLength(1);
  });

  it('retries a failing target after its Retry-After (jittered backoff otherwise), then delivers once', async () => {
    const channel = await saveChannel('t-retry', { webhookUrl: `${flakyUrl}/in` }, { current: secret });
    flakyFailures = 2;
    flakyArrivals.length = 0;
    const event = eventFor('t-retry');
    await enqueue(event);
    await until(() => flakyVerified.some((body) => (body as DomainEvent).id === event.id));
    expect(flakyArrivals).toHaveLength(3);
    // Retry-After: 2 beats the un-jittered 1 s backoff of the first retries.
    expect((flakyArrivals[1] as number) - (flakyArrivals[0] as number)).toBeGreaterThanOrEqual(1_900);
    expect((flakyArrivals[2] as number) - (flakyArrivals[1] as number)).toBeGreaterThanOrEqual(1_900);
    expect(await records(channel.id)).toEqual([expect.objectContaining({ status: 'delivered', attempt: 3, responseCode: 204 })]);
    expect((await channels().get('acme', channel.id))?.degradedAt).toBeUndefined();
  }, 30_000);

  it('after the last attempt: the channel is degraded, system.webhook_failure is published and the message is in the DLQ', async () => {
    const channel = await saveChannel('t-dlq', { webhookUrl: `${receiver.url}/hooks/status/500` }, { current: secret });
    const event = eventFor('t-dlq');
    await enqueue(event);
    const failure = await until(async () =>
      (await published()).find((e) => e.type === 'system.webhook_failure' && e.data.eventId === event.id),
    );
    expect(failure.data).toMatchObject({ channelId: channel.id, attempts: MAX_ATTEMPTS, lastStatus: 500, lastError: 'HTTP 500' });
    expect(receiver.received.filter((entry) => (entry.body as DomainEvent | undefined)?.id === event.id)).toHaveLength(MAX_ATTEMPTS);
    const degraded = await channels().get('acme', channel.id);
    expect(degraded?.degradedAt).toBeDefined();
    expect(degraded?.degradedReason).toContain('HTTP 500');
    const parked = await until(async () => {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
      return got.Messages?.find((message) => (JSON.parse(message.Body ?? '{}') as DomainEvent).id === event.id);
    });
    expect(parked).toBeDefined();
    expect(await records(channel.id)).toEqual([expect.objectContaining({ status: 'failed', attempt: MAX_ATTEMPTS, responseCode: 500 })]);

    // The next success clears the mark.
    await channels().save({ ...(degraded as NotificationChannel), webhookUrl: `${receiver.url}/hooks`, version: 2 }, 1);
    await enqueue(eventFor('t-dlq'));
    await until(async () => ((await channels().get('acme', channel.id))?.degradedAt === undefined ? true : undefined));
  }, 30_000);

  it('drops a message that is not a catalog event instead of retrying it', async () => {
    const before = handled.length;
    await enqueue('not json at all');
    await until(() => handled.length > before);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(logLines.some((line) => line.includes('not a catalog event'))).toBe(true);
    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect((dlq.Messages ?? []).some((message) => message.Body === 'not json at all')).toBe(false);
  });

  it('keeps every secret out of delivery records and log lines (Slack URL, signing secret, recipients)', async () => {
    // A Slack channel (its URL is a secret) whose target fails: errors and retries are logged, records written.
    const slack = await saveChannel('t-secret', { kind: 'slack' }, { slackUrl: `${receiver.url}/hooks/status/500${SLACK_PATH}` });
    const hook = await saveChannel('t-secret', { webhookUrl: `${receiver.url}/hooks/status/503` }, { current: secret });
    const event = eventFor('t-secret');
    await enqueue(event);
    await until(async () =>
      (await published()).find((e) => e.type === 'system.webhook_failure' && e.data.eventId === event.id && e.data.channelId === hook.id),
    );
    await until(async () => (await records(slack.id))[0]?.attempt === MAX_ATTEMPTS);
    const table_ = await table.doc.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }));
    const stored = JSON.stringify(table_.Items);
    const deliveryRecords = JSON.stringify((table_.Items ?? []).filter((item) => String(item.sk).startsWith('DELIVERY#')));
    const logs = logLines.join('\n');
    const events = JSON.stringify(await published());
    expect(logs).toContain(slack.id);
    for (const text of [stored, logs, events]) {
      expect(text).not.toContain('SLACKSECRETPATH');
      expect(text).not.toContain(secret.slice(6, 30));
    }
    // Recipients are channel configuration: never in a delivery record, a log line or an event.
    for (const text of [deliveryRecords, logs, events]) expect(text).not.toContain('lin@acme.test');
  }, 30_000);
});
