import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { startDevMailbox, type DevMailbox } from '#scripts/local/dev-notifications/dev-mailbox';
import { startDevWebhookReceiver, type DevWebhookReceiver } from '#scripts/local/dev-notifications/dev-webhook-receiver';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';

/**
 * The local stack's notification sinks: the dev webhook receiver (Standard Webhooks verification by the
 * standardwebhooks library) refuses tampered deliveries, and the dev mailbox (an SMTP sink, the local
 * stand-in for SES and inboxes) shows what the local email transport sent.
 */
const secret = newWebhookSecret();
let receiver: DevWebhookReceiver;
let mailbox: DevMailbox;

beforeAll(async () => {
  receiver = await startDevWebhookReceiver({ secret });
  mailbox = await startDevMailbox();
});
afterAll(async () => {
  await Promise.all([receiver?.stop(), mailbox?.stop()]);
});

const body = JSON.stringify({ id: 'evt_1', type: 'job.failed', subject: 'job/j1', data: { jobId: 'j1' } });
const post = (headers: Record<string, string>, payload = body, path = '/hooks') =>
  fetch(`${receiver.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });

describe('dev webhook receiver (standardwebhooks)', () => {
  it('accepts a correctly signed delivery, also when signed with the new and the previous secret during a rotation', async () => {
    expect((await post({ ...signWebhook('msg_1', new Date(), body, [secret]) })).status).toBe(204);
    const rotated = signWebhook('msg_2', new Date(), body, [newWebhookSecret(), secret]);
    expect((await post({ ...rotated })).status).toBe(204);
    expect(receiver.received.slice(0, 2).map((entry) => entry.verified)).toEqual([true, true]);
  });

  it('refuses a tampered body, id or timestamp, a stale timestamp and a foreign secret (401, listed as refused)', async () => {
    const signed = signWebhook('msg_3', new Date(), body, [secret]);
    const cases: [string, Response][] = [
      ['body', await post({ ...signed }, body.replace('j1', 'j2'))],
      ['id', await post({ ...signed, 'webhook-id': 'msg_4' })],
      ['timestamp', await post({ ...signed, 'webhook-timestamp': String(Number(signed['webhook-timestamp']) + 1) })],
      ['stale', await post({ ...signWebhook('msg_5', new Date(Date.now() - 10 * 60_000), body, [secret]) })],
      ['secret', await post({ ...signWebhook('msg_6', new Date(), body, [newWebhookSecret()]) })],
      ['unsigned', await post({})],
    ];
    for (const [what, response] of cases) expect(response.status, what).toBe(401);
    expect(receiver.received.slice(0, cases.length).every((entry) => !entry.verified && entry.body === undefined)).toBe(true);
    const page = await (await fetch(receiver.url)).text();
    expect(page).toContain('refused');
  });

  it('answers the status a /hooks/status/<code> path asks for, after verifying (Retry-After on 503)', async () => {
    const response = await post({ ...signWebhook('msg_7', new Date(), body, [secret]) }, body, '/hooks/status/503');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });
});

describe('dev mailbox (SMTP sink standing in for SES)', () => {
  it('receives what the SMTP transport sends and lists it with subject, recipient and body; HTML is escaped', async () => {
    const transport = new SmtpEmailTransport({
      host: mailbox.smtp.host,
      port: mailbox.smtp.port,
      from: 'notifications@quartermaster.local',
    });
    await transport.send({
      to: 'rae@acme.test',
      subject: 'job.failed: job/j1 <b>ünïcode</b>',
      text: 'Line one\nLine two',
      html: '<p>x</p>',
    });
    const mail = mailbox.messages[0];
    expect(mail).toMatchObject({
      to: ['rae@acme.test'],
      from: 'notifications@quartermaster.local',
      subject: 'job.failed: job/j1 <b>ünïcode</b>',
    });
    expect(mail?.text.trim()).toBe('Line one\nLine two');
    const page = await (await fetch(mailbox.url)).text();
    expect(page).toContain('job.failed: job/j1 &lt;b&gt;ünïcode&lt;/b&gt;');
    expect(page).toContain('rae@acme.test');
    const json = (await (await fetch(`${mailbox.url}/messages.json`)).json()) as { subject: string }[];
    expect(json[0]?.subject).toBe(mail?.subject);
  });

  it('makes the transport fail when nothing listens (a delivery failure, not a hang)', async () => {
    const transport = new SmtpEmailTransport({ host: '127.0.0.1', port: 9, from: 'x@quartermaster.local', timeoutMs: 1_000 });
    await expect(transport.send({ to: 'a@b.test', subject: 's', text: 't', html: 'h' })).rejects.toThrow();
  });
});
