import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#domain/events/event-envelope';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { startDevMailbox, type DevMailbox } from '#scripts/local/dev-notifications/dev-mailbox';
import { startDevWebhookReceiver, type DevWebhookReceiver } from '#scripts/local/dev-notifications/dev-webhook-receiver';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';
import { actorId, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, type AuthzWorld } from '#test-support/authz-world';

/**
 * `POST /v1/notification-channels/{id}/test` and `GET …/{id}/deliveries` through the real handler and middy chain
 * on DynamoDB Local. Targets: the dev webhook receiver (verifies Standard Webhooks signatures with the
 * standardwebhooks library) and, for email, SMTP to the dev mailbox, the local stand-in for SES (SES does not
 * run here; the deployed function gets the SES v2 adapter).
 */
let world: AuthzWorld;
let mailbox: DevMailbox;
let receiver: DevWebhookReceiver;
const secret = newWebhookSecret();
const admin = actorId('admin');
const lead = actorId('lead');

beforeAll(async () => {
  mailbox = await startDevMailbox();
  receiver = await startDevWebhookReceiver({ secret });
  world = await createAuthzWorld({
    email: new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: 'notifications@quartermaster.local' }),
  });
  await seedPeople(world);
});
afterAll(async () => {
  await Promise.all([mailbox?.stop(), receiver?.stop()]);
});

async function createWebhook(path: string): Promise<string> {
  const created = await world.call(admin, 'createNotificationChannel', {
    body: { kind: 'webhook', name: 'dev hook', url: `${receiver.url}${path}`, secret, subscriptions: [{ events: ['job.failed'] }] },
  });
  expect(created.status, created.text).toBe(201);
  return created.json.id as string;
}

describe('notification channel test route and delivery log', () => {
  it('sends a signed system.test through the delivery path and answers with the delivery record', async () => {
    const id = await createWebhook('/hooks');
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.json).toMatchObject({ eventType: 'system.test', status: 'delivered', responseCode: 204, attempt: 1 });
    expect(typeof tested.json.latencyMs).toBe('number');
    const got = receiver.received.find((entry) => entry.id === `msg_${tested.json.eventId as string}`);
    expect(got?.verified).toBe(true);
    expect(got?.body as DomainEvent).toMatchObject({ type: 'system.test', subject: `notification-channel/${id}`, data: { channelId: id } });

    const log = await world.call(admin, 'listNotificationDeliveries', { params: { id } });
    expect(log.status, log.text).toBe(200);
    expect(log.json.items).toEqual([tested.json]);
    expect(log.text + tested.text).not.toContain(secret.slice(6, 30));
    expect(log.text).not.toContain(receiver.url);

    const audit = await world.call(admin, 'listAuditEntries', { query: { limit: '100' } });
    const entry = audit.json.items.find(
      (item: { action?: string; target?: string }) =>
        item.target === `notification-channel/${id}` && item.action === 'testNotificationChannel',
    );
    expect(entry, audit.text.slice(0, 500)).toBeDefined();
  });

  it('reports a failing target as a failed record (status and code), without marking the channel degraded', async () => {
    const id = await createWebhook('/hooks/status/500');
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.json).toMatchObject({ status: 'failed', responseCode: 500, lastError: 'HTTP 500' });
    const channel = await world.call(admin, 'getNotificationChannel', { params: { id } });
    expect(channel.json.health).toBe('ok');
  });

  it('emails a test to every recipient (dev mailbox: SMTP stand-in for SES)', async () => {
    const created = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'email', name: 'ops mail', to: ['ops@acme.test', 'lin@acme.test'], subscriptions: [{ events: ['job.*'] }] },
    });
    const id = created.json.id as string;
    const tested = await world.call(admin, 'testNotificationChannel', { params: { id } });
    expect(tested.json, tested.text).toMatchObject({ status: 'delivered', eventType: 'system.test' });
    const mails = mailbox.messages.filter((mail) => mail.subject.includes(`notification-channel/${id}`));
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(['lin@acme.test', 'ops@acme.test']);
    expect(mails[0]?.text).toContain('This is a test message from Quartermaster');
    const log = await world.call(admin, 'listNotificationDeliveries', { params: { id } });
    expect(log.text).not.toContain('@acme.test');
  });

  it('is admin.config: a lead is refused, a missing channel is 404', async () => {
    const id = await createWebhook('/hooks');
    expect((await world.call(lead, 'testNotificationChannel', { params: { id } })).status).toBe(403);
    expect((await world.call(lead, 'listNotificationDeliveries', { params: { id } })).status).toBe(403);
    expect((await world.call(admin, 'testNotificationChannel', { params: { id: 'nope' } })).status).toBe(404);
  });
});
