import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { NOTIFICATION_PATTERN } from '#domain/event-catalog/event-rules';
import { eventEnvelopeSchema, type DomainEvent } from '#domain/events/event-envelope';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { composeNotifier } from '#functions/events/notifier/notifier.app';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { startDevMailbox, type DevMailbox } from '#scripts/local/dev-notifications/dev-mailbox';
import { startDevWebhookReceiver, type DevWebhookReceiver } from '#scripts/local/dev-notifications/dev-webhook-receiver';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';
import { localClientConfig } from '#scripts/local/local-aws';
import { ensureNotificationQueues } from '#scripts/local/local-notifications';
import { startSqsPoller } from '#scripts/local/local-workers';
import { actorId, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';
import { localEndpoints, uniqueName } from '#test-support/integration-env';

/**
 * `POST /v1/notification-channels/{id}/test` and `GET …/{id}/deliveries` through the real handler and middy chain
 * on DynamoDB Local, and the asynchronous delivery behind them as deployed: the API function records a
 * `system.test` event and answers 202; the event is routed by NOTIFICATION_PATTERN (the in-process bus standing
 * in for EventBridge) to a local SQS queue, consumed by the notifier's one composition, whose delivery record the
 * log then shows. Targets: the dev webhook receiver (verifies Standard Webhooks signatures with the
 * standardwebhooks library) and, for email, SMTP to the dev mailbox, the local stand-in for SES (SES does not run
 * here; the deployed notifier gets the SES v2 adapter).
 */
let world: AuthzWorld;
let mailbox: DevMailbox;
let receiver: DevWebhookReceiver;
let sqs: SQSClient;
let poller: { stop(): Promise<void> };
const bus = new InProcessEventBus();
const routed: DomainEvent[] = [];
const handled: SQSBatchResponse[] = [];
const secret = newWebhookSecret();
const admin = actorId('admin');
const lead = actorId('lead');

beforeAll(async () => {
  mailbox = await startDevMailbox();
  receiver = await startDevWebhookReceiver({ secret });
  world = await createAuthzWorld({ events: bus });
  await seedPeople(world);
  sqs = new SQSClient(localClientConfig(localEndpoints().sqs));
  const { queueUrl } = await ensureNotificationQueues(sqs, uniqueName('notify-test'), 3);
  bus.subscribe(NOTIFICATION_PATTERN, async (event) => {
    routed.push(event);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(eventEnvelopeSchema.parse(event)) }));
  });
  const env = loadEnv(notifierEnvSchema, {
    QM_TABLE_NAME: world.table.tableName,
    QM_LOCAL_STACK: 'true',
    QM_EMAIL_FROM: 'notifications@quartermaster.local',
    QM_NOTIFICATION_QUEUE_URL: queueUrl,
    QM_NOTIFY_MAX_ATTEMPTS: '3',
    QM_NOTIFY_TIMEOUT_MS: '2000',
    // No approval email in these cases: the link key is never read.
    QM_APPROVAL_LINK_KEY_SECRET_ID: 'quartermaster/test/approval-link-key',
    QM_APPROVAL_LINK_BASE_URL: 'http://127.0.0.1:3000',
  });
  const notifier = composeNotifier(env, {
    doc: world.table.doc,
    secrets: world.notificationSecrets,
    events: bus,
    email: new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: 'notifications@quartermaster.local' }),
    redelivery: new SqsRedelivery(sqs, queueUrl),
    log: { warn: () => undefined, error: () => undefined },
  });
  const observed = async (batch: SQSEvent) => {
    const response = await notifier(batch);
    handled.push(response);
    return response;
  };
  poller = startSqsPoller(sqs, queueUrl, observed, () => undefined);
});
afterAll(async () => {
  await poller?.stop();
  await Promise.all([mailbox?.stop(), receiver?.stop()]);
});

async function createWebhook(path: string): Promise<string> {
  const created = await world.call(admin, 'createNotificationChannel', {
    body: { kind: 'webhook', name: 'dev hook', url: `${receiver.url}${path}`, secret, subscriptions: [{ events: ['job.failed'] }] },
  });
  expect(created.status, created.text).toBe(201);
  return created.json.id as string;
}

/** Polls the delivery log, as the console does, until the record of `eventId` has an outcome. */
async function deliveryOf(channelId: string, eventId: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = await world.call(admin, 'listNotificationDeliveries', { params: { id: channelId } });
    expect(log.status, log.text).toBe(200);
    const record = (log.json.items as Record<string, unknown>[]).find((item) => item.eventId === eventId);
    if (record && record.status !== 'sending') return record;
    if (Date.now() > deadline) throw new Error(`no outcome for ${eventId} in time: ${log.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('notification channel test route (asynchronous) and delivery log', () => {
  it('answers 202 with the event id; the notifier delivers a signed system.test and the log shows its record', async () => {
    const id = await createWebhook('/hooks');
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.status, tested.text).toBe(202);
    expect(tested.json).toMatchObject({ channelId: id, eventType: 'system.test', status: 'queued' });
    const eventId = tested.json.eventId as string;

    const record = await deliveryOf(id, eventId);
    expect(record).toMatchObject({ eventId, eventType: 'system.test', status: 'delivered', responseCode: 204, attempt: 1 });
    expect(typeof record.latencyMs).toBe('number');
    const got = receiver.received.find((entry) => entry.id === `msg_${eventId}`);
    expect(got?.verified).toBe(true);
    expect(got?.body as DomainEvent).toMatchObject({ type: 'system.test', subject: `notification-channel/${id}`, data: { channelId: id } });

    const log = await world.call(admin, 'listNotificationDeliveries', { params: { id } });
    expect(log.text + tested.text).not.toContain(secret.slice(6, 30));
    expect(log.text).not.toContain(receiver.url);

    const audit = await world.call(admin, 'listAuditEntries', { query: { limit: '100' } });
    const entry = audit.json.items.find(
      (item: { action?: string; target?: string }) =>
        item.target === `notification-channel/${id}` && item.action === 'testNotificationChannel',
    );
    expect(entry, audit.text.slice(0, 500)).toBeDefined();
  });

  it('goes to the named channel only: another channel subscribed to everything gets no test of this one', async () => {
    const everything = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'webhook', name: 'all', url: `${receiver.url}/hooks/all`, secret, subscriptions: [{ events: ['*'] }] },
    });
    const id = await createWebhook('/hooks/tested');
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    const eventId = tested.json.eventId as string;
    await deliveryOf(id, eventId);
    const other = await world.call(admin, 'listNotificationDeliveries', { params: { id: everything.json.id as string } });
    expect(other.json.items).toEqual([]);
    expect(receiver.received.filter((entry) => entry.id === `msg_${eventId}`)).toHaveLength(1);
  });

  it('records a failing target once as a failed record (status and code), not retried, the channel not marked degraded', async () => {
    const id = await createWebhook('/hooks/status/500');
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.status, tested.text).toBe(202);
    const eventId = tested.json.eventId as string;
    const record = await deliveryOf(id, eventId);
    expect(record).toMatchObject({ status: 'failed', responseCode: 500, lastError: 'HTTP 500', attempt: 1 });
    const message = routed.find((event) => event.id === eventId);
    expect(message?.type).toBe('system.test');
    // The batch that carried it reported no failure: SQS does not bring the test back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.filter((entry) => entry.id === `msg_${eventId}`)).toHaveLength(1);
    const channel = await world.call(admin, 'getNotificationChannel', { params: { id } });
    expect(channel.json.health).toBe('ok');
  });

  it('emails a test to every recipient (dev mailbox: SMTP stand-in for SES)', async () => {
    const created = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'email', name: 'ops mail', to: ['ops@acme.test', 'lin@acme.test'], subscriptions: [{ events: ['job.*'] }] },
    });
    const id = created.json.id as string;
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.status, tested.text).toBe(202);
    const record = await deliveryOf(id, tested.json.eventId as string);
    expect(record).toMatchObject({ status: 'delivered', eventType: 'system.test' });
    const mails = mailbox.messages.filter((mail) => mail.subject.includes(`notification-channel/${id}`));
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['lin@acme.test', 'ops@acme.test']);
    expect(mails[0]?.text).toContain('This is a test message from Quartermaster');
    const log = await world.call(admin, 'listNotificationDeliveries', { params: { id } });
    expect(log.text).not.toContain('@acme.test');
  });

  it('is admin.config: a lead is refused, a missing channel is 404, and neither records an event', async () => {
    const id = await createWebhook('/hooks');
    const before = routed.length;
    expect((await world.call(lead, 'testNotificationChannel', { params: { id } })).status).toBe(403);
    expect((await world.call(lead, 'listNotificationDeliveries', { params: { id } })).status).toBe(403);
    expect((await world.call(admin, 'testNotificationChannel', { params: { id: 'nope' } })).status).toBe(404);
    expect(routed.length).toBe(before);
  });
});
