import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryLog } from '#adapters/dynamodb/dynamo-delivery-log.repository';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { slackSender, webhookSender } from '#adapters/outbound/channel-senders.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import { jobEvent } from '#domain/jobs/job.events';
import type { NotificationChannel } from '#domain/notifications/notification-channel.schema';
import { notify, type NotifierDeps } from '#domain/notifications/notifier.service';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { createTestTable, type TestTable } from '#test-support/integration-env';
import { startTestRelay } from '#test-support/outbox-relay';
import { failedJob } from '#test-support/job-fixtures';

/**
 * The notifier's delivery path against real local pieces: channels and delivery records in DynamoDB Local, a
 * webhook receiver on loopback that verifies every signature with the standardwebhooks library, the file-backed
 * secret store standing in for Secrets Manager (it does not run here), and the in-process bus for EventBridge.
 */
const secret = newWebhookSecret();
const verified: unknown[] = [];
let failNext = 0;
let server: Server;
let base: string;
let table: TestTable;
let deps: NotifierDeps;
let bus: InProcessEventBus;
/** The outbox relay onto `bus`: the notifier records `system.webhook_failure` with the channel's degraded mark. */
let relay: Awaited<ReturnType<typeof startTestRelay>>;

async function saveChannel(overrides: Partial<NotificationChannel>, secretValue: object): Promise<NotificationChannel> {
  const id = ulidSource().next();
  const secretRef = await secrets.put(`notifications/acme/${id}`, JSON.stringify(secretValue));
  const channel: NotificationChannel = {
    schemaVersion: 1,
    orgId: 'acme',
    id,
    name: 'hook',
    kind: 'webhook',
    enabled: true,
    webhookUrl: `${base}/hook`,
    secretRef,
    subscriptions: [{ events: ['job.*'], teamIds: ['vision'] }],
    createdBy: 'seed',
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
  await new DynamoNotificationChannelRepository(table.doc, table.tableName).save(channel, 0);
  return channel;
}

let secrets: EnvFileSecretStore;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503, { 'retry-after': '2' }).end();
        return;
      }
      try {
        verified.push(new Webhook(secret).verify(body, req.headers as Record<string, string>));
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  table = await createTestTable();
  secrets = new EnvFileSecretStore(await mkdtemp(join(tmpdir(), 'qm-notifier-secrets-')));
  bus = new InProcessEventBus();
  relay = await startTestRelay(table, bus);
  const options = { secrets, policy: { allowLoopback: true }, clock: systemClock, timeoutMs: 2_000, consoleUrl: 'http://127.0.0.1:5173' };
  deps = {
    channels: new DynamoNotificationChannelRepository(table.doc, table.tableName),
    senders: {
      webhook: webhookSender(options),
      slack: slackSender(options),
      email: async () => ({ ok: false, error: 'email delivery is not built yet', latencyMs: 0 }),
    },
    deliveries: new DynamoDeliveryLog(table.doc, table.tableName),
    events: bus,
    clock: systemClock,
    ids: ulidSource(),
  };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function deliveryItems(): Promise<Record<string, unknown>[]> {
  const page = await table.doc.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }));
  return (page.Items ?? []).filter((item) => String(item.sk).startsWith('DELIVERY#'));
}

describe('notifier delivery (DynamoDB Local, loopback receiver, standardwebhooks)', () => {
  it('delivers a signed event once per channel, even when the message is redelivered', async () => {
    const channel = await saveChannel({}, { current: secret });
    const other = await saveChannel({ subscriptions: [{ events: ['approval.*'] }] }, { current: secret });
    const event = jobEvent('job.failed', failedJob('j1'), ulidSource().next(), new Date().toISOString());
    const first = await notify(event, 1, false, deps);
    expect(first.delivered).toEqual([channel.id]);
    expect(first.delivered).not.toContain(other.id);
    expect(verified.at(-1)).toEqual(event);
    const again = await notify(event, 2, false, deps);
    expect(again).toMatchObject({ delivered: [], skipped: [channel.id], failed: [] });
    expect(verified.filter((body) => (body as { id: string }).id === event.id)).toHaveLength(1);
    await deps.channels.list('acme', { limit: 100 }).then(async (page) => {
      for (const item of page.items) await new DynamoNotificationChannelRepository(table.doc, table.tableName).remove('acme', item.id);
    });
  });

  it('retries a failing target, then announces system.webhook_failure on the last attempt; no secret in any record', async () => {
    const channel = await saveChannel({}, { current: secret });
    const event = jobEvent('job.failed', failedJob('j2'), ulidSource().next(), new Date().toISOString());
    failNext = 2;
    const firstTry = await notify(event, 1, false, deps);
    expect(firstTry.failed).toEqual([{ channelId: channel.id, error: 'HTTP 503', retryAfterSeconds: 2 }]);
    const lastTry = await notify(event, 2, true, deps);
    expect(lastTry.failed).toHaveLength(1);
    await relay.drain();
    const failure = bus.published.find((published) => published.type === 'system.webhook_failure');
    expect(failure?.data).toMatchObject({ channelId: channel.id, eventId: event.id, attempts: 2, lastStatus: 503 });
    const thirdTry = await notify(event, 3, false, deps);
    expect(thirdTry.delivered).toEqual([channel.id]);
    const records = JSON.stringify(await deliveryItems());
    expect(records).not.toContain(secret.slice(6, 30));
    expect(records).not.toContain('/hook');
    expect(records).toContain('"status":"delivered"');
  });
});
