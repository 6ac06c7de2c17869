import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationChannelRepository } from '#adapters/dynamodb/dynamo-notification-channel.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { EnvFileSecretStore } from '#adapters/secrets/env-file-secret-store.client';
import { SqsEmailQueue } from '#adapters/sqs/sqs-email-queue.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { jobEvent } from '#domain/jobs/job.events';
import type { EmailMessage, EmailTransport } from '#domain/notifications/notifications.port';
import { composeNotifier } from '#functions/events/notifier/notifier.app';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { startDevMailbox, type DevMailbox } from '#scripts/local/dev-notifications/dev-mailbox';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';
import { localClientConfig } from '#scripts/local/local-aws';
import { ensureNotificationQueues, LOCAL_EMAIL_FROM, startLocalEmailSender } from '#scripts/local/local-notifications';
import { startSqsPoller } from '#scripts/local/local-workers';
import { createTestTable, localEndpoints, uniqueName, type TestTable } from '#test-support/integration-env';
import { spec } from '#test-support/job-fixtures';

/**
 * Email as deployed, on local parts: the notifier hands each rendered email to the email queue (local SQS) and
 * the email sender function's one composition consumes it through the local event source mapping, with partial
 * batch failures, a retry after the visibility timeout and a DLQ. SES does not run here: the email sender sends
 * over SMTP to the dev mailbox (its local stand-in), and a transport that refuses stands in for SES refusing.
 */
let table: TestTable;
let sqs: SQSClient;
let mailbox: DevMailbox;
const stops: (() => Promise<void>)[] = [];
const logLines: string[] = [];
const log = (message: string, details?: Record<string, unknown>) => void logLines.push(JSON.stringify({ message, ...details }));
const onError = (error: unknown) => void logLines.push(`error: ${String(error)}`);

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const message = (to: string): EmailMessage => ({ to, subject: `test ${to}`, text: 'hello', html: '<p>hello</p>' });

beforeAll(async () => {
  table = await createTestTable();
  sqs = new SQSClient(localClientConfig(localEndpoints().sqs));
  mailbox = await startDevMailbox();
  stops.push(() => mailbox.stop());
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

describe('email sender (the only holder of the SES client), fed by the notifier through the email queue', () => {
  it('delivers an email channel: the notifier queues one message per recipient, the email sender sends each', async () => {
    const smtp = new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: LOCAL_EMAIL_FROM });
    const email = await startLocalEmailSender(sqs, uniqueName('email'), smtp, { log, onError });
    stops.push(() => email.stop());
    const notifications = await ensureNotificationQueues(sqs, uniqueName('notify-email'), 3);
    const env = loadEnv(notifierEnvSchema, {
      QM_TABLE_NAME: table.tableName,
      QM_LOCAL_STACK: 'true',
      QM_EMAIL_FROM: LOCAL_EMAIL_FROM,
      QM_EMAIL_QUEUE_URL: email.queueUrl,
      QM_NOTIFICATION_QUEUE_URL: notifications.queueUrl,
      QM_NOTIFY_MAX_ATTEMPTS: '3',
      // No approval email in these cases: the link key is never read.
      QM_APPROVAL_LINK_KEY_SECRET_ID: 'quartermaster/test/approval-link-key',
      QM_APPROVAL_LINK_BASE_URL: 'http://127.0.0.1:3000',
    });
    const notifier = composeNotifier(env, {
      doc: table.doc,
      secrets: new EnvFileSecretStore(await mkdtemp(join(tmpdir(), 'qm-email-sender-'))),
      events: new InProcessEventBus(),
      email: new SqsEmailQueue(sqs, email.queueUrl),
      redelivery: new SqsRedelivery(sqs, notifications.queueUrl),
      log: { warn: log, error: log },
    });
    const poller = startSqsPoller(sqs, notifications.queueUrl, notifier, onError);
    stops.push(() => poller.stop());

    const channelId = ulidSource().next();
    await new DynamoNotificationChannelRepository(table.doc, table.tableName).save(
      {
        schemaVersion: 1,
        orgId: 'acme',
        id: channelId,
        name: 'ops',
        kind: 'email',
        enabled: true,
        emailTo: ['ops@acme.test', 'lin@acme.test'],
        subscriptions: [{ events: ['job.failed'], teamIds: [`t-${channelId}`] }],
        createdBy: 'seed',
        createdAt: '2026-12-06T10:00:00.000Z',
        updatedAt: '2026-12-06T10:00:00.000Z',
        version: 1,
      },
      0,
    );
    const jobId = ulidSource().next();
    const event = jobEvent(
      'job.failed',
      {
        schemaVersion: 1,
        id: jobId,
        orgId: 'acme',
        ownerId: 'rae',
        teamId: `t-${channelId}`,
        spec: spec({}),
        backend: 'local',
        state: 'failed',
        priorityClass: 20,
        estimatedCostUsd: 0.1,
        gpuCount: 0,
        createdAt: '2026-12-06T10:00:00.000Z',
        updatedAt: '2026-12-06T10:00:00.000Z',
        history: [],
        holds: [],
        version: 3,
      },
      ulidSource().next(),
      new Date().toISOString(),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: notifications.queueUrl, MessageBody: JSON.stringify(event) }));

    const mails = await until(() => {
      const found = mailbox.messages.filter((mail) => mail.subject.includes(jobId));
      return found.length === 2 ? found : undefined;
    });
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['lin@acme.test', 'ops@acme.test']);
    expect(logLines.join('\n')).not.toContain('@acme.test');
  });

  it('retries a refused email after the visibility timeout and sends it once; gives up to the DLQ; drops what is not an email', async () => {
    let refusals = 2;
    const sent: EmailMessage[] = [];
    const flaky: EmailTransport = {
      send: async (email) => {
        if (email.to === 'never@acme.test' || refusals-- > 0) throw new Error('SES refused the message (TooManyRequestsException)');
        sent.push(email);
      },
    };
    const email = await startLocalEmailSender(sqs, uniqueName('email-retry'), flaky, {
      log,
      onError,
      visibilityTimeoutSeconds: 1,
      maxAttempts: 3,
    });
    stops.push(() => email.stop());
    const queue = new SqsEmailQueue(sqs, email.queueUrl);
    await queue.send(message('retry@acme.test'));
    await until(() => (sent.length === 1 ? true : undefined));
    expect(sent.map((email) => email.to)).toEqual(['retry@acme.test']);

    await queue.send(message('never@acme.test'));
    await sqs.send(new SendMessageCommand({ QueueUrl: email.queueUrl, MessageBody: JSON.stringify({ to: 'not an address' }) }));
    const dead = await until(async () => {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: email.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return received.Messages?.length ? received.Messages : undefined;
    });
    expect(dead.map((entry) => (JSON.parse(entry.Body ?? '{}') as EmailMessage).to)).toEqual(['never@acme.test']);
    expect(logLines.some((line) => line.includes('Email given up; to the DLQ'))).toBe(true);
    expect(logLines.some((line) => line.includes('not an email'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('never@acme.test');
  });
});
