import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { channelSecretSchema } from '#domain/notifications/notification-channel.schema';
import { newWebhookSecret } from '#domain/notifications/standard-webhook-signature';
import { actorId, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, ORGS, type AuthzWorld } from '#test-support/authz-world';

/**
 * Notification channels through the real handler and middy chain on DynamoDB Local. Secrets Manager does not
 * run here: the file-backed secret store stands in for it (the deployed function gets the Secrets Manager
 * adapter; its grant is asserted in test/cdk). Secrets are write-only: never in a response, item or audit entry.
 */
let world: AuthzWorld;
const admin = actorId('admin');
const researcher = actorId('researcher');
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/SLACKSECRETPART';
const first = newWebhookSecret();
const second = newWebhookSecret();

async function tableText(): Promise<string> {
  const page = await world.table.doc.send(new ScanCommand({ TableName: world.table.tableName, ConsistentRead: true }));
  return JSON.stringify(page.Items);
}

beforeAll(async () => {
  world = await createAuthzWorld();
  await seedPeople(world);
});

describe('notification channels', () => {
  it('creates, lists, reads, rotates and deletes a signed webhook; the secrets stay write-only', async () => {
    const created = await world.call(admin, 'createNotificationChannel', {
      body: {
        kind: 'webhook',
        name: 'ops hook',
        url: 'https://hooks.example.com/qm',
        secret: first,
        subscriptions: [{ events: ['job.failed', 'approval.*'] }],
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ kind: 'webhook', url: 'https://hooks.example.com/qm', secretSet: true, enabled: true });
    const id = created.json.id as string;

    const rotated = await world.call(admin, 'replaceNotificationChannel', {
      params: { id },
      body: { kind: 'webhook', name: 'ops hook', secret: second, subscriptions: [{ events: ['*'] }] },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.rotationEndsAt).toBeDefined();
    expect(rotated.json.url).toBe('https://hooks.example.com/qm');

    const stored = await world.notificationChannels.get(ORGS.acme, id);
    const secret = channelSecretSchema.parse(JSON.parse(await world.notificationSecrets.get(stored?.secretRef ?? '')));
    expect(secret).toEqual({ current: second, previous: first });

    const listed = await world.call(admin, 'listNotificationChannels');
    expect(listed.json.items.map((item: { id: string }) => item.id)).toContain(id);
    const everything = [
      created.text,
      rotated.text,
      listed.text,
      (await world.call(admin, 'getNotificationChannel', { params: { id } })).text,
      await tableText(),
    ].join();
    for (const value of [first, second]) expect(everything).not.toContain(value);

    expect((await world.call(admin, 'deleteNotificationChannel', { params: { id } })).status).toBe(204);
    expect((await world.call(admin, 'getNotificationChannel', { params: { id } })).status).toBe(404);
    expect(await world.notificationSecrets.get(stored?.secretRef ?? '').catch(() => '')).not.toContain(second);
  });

  it('keeps a Slack URL out of every response, item and audit entry', async () => {
    const created = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'slack', name: 'alerts', url: SLACK_URL, subscriptions: [{ events: ['quota.*', 'cost.*'] }] },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.url).toBeUndefined();
    expect(created.text + (await tableText())).not.toContain('SLACKSECRETPART');
  });

  it('refuses hostile targets and bad input with a 400 naming the field, writing nothing', async () => {
    const before = await tableText();
    const cases: [Record<string, unknown>, string][] = [
      [
        { kind: 'webhook', name: 'x', url: 'https://169.254.169.254/latest', secret: first, subscriptions: [{ events: ['*'] }] },
        'body.url',
      ],
      [{ kind: 'webhook', name: 'x', url: 'http://hooks.example.com/', secret: first, subscriptions: [{ events: ['*'] }] }, 'body.url'],
      [{ kind: 'webhook', name: 'x', url: 'https://[::ffff:7f00:1]/', secret: first, subscriptions: [{ events: ['*'] }] }, 'body.url'],
      [{ kind: 'slack', name: 'x', url: 'https://hooks.slack.com.evil.example/x', subscriptions: [{ events: ['*'] }] }, 'body.url'],
      [
        { kind: 'webhook', name: 'x', url: 'https://hooks.example.com/', secret: 'short', subscriptions: [{ events: ['*'] }] },
        'body.secret',
      ],
      [
        { kind: 'email', name: 'x', to: ['ops@example.com'], subscriptions: [{ events: ['job.exploded'] }] },
        'body.subscriptions.0.events.0',
      ],
      [{ kind: 'email', name: 'x', to: ['not-an-address'], subscriptions: [{ events: ['*'] }] }, 'body.to.0'],
    ];
    for (const [body, field] of cases) {
      const response = await world.call(admin, 'createNotificationChannel', { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(response.json.error.details), JSON.stringify(body)).toContain(field);
      expect(response.text).not.toContain('169.254.169.254');
    }
    expect(await tableText()).toBe(before);
  });

  it('answers 404 naming the field for a team the org does not have, and refuses a change of kind', async () => {
    const ghost = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'email', name: 'x', to: ['ops@example.com'], subscriptions: [{ events: ['*'], teamIds: ['no-such-team'] }] },
    });
    expect(ghost.status).toBe(404);
    expect(JSON.stringify(ghost.json.error.details)).toContain('body.subscriptions.0.teamIds.0');
    const mail = await world.call(admin, 'createNotificationChannel', {
      body: { kind: 'email', name: 'mail', to: ['ops@example.com'], subscriptions: [{ events: ['job.*'], teamIds: ['vision'] }] },
    });
    expect(mail.status, mail.text).toBe(201);
    const changed = await world.call(admin, 'replaceNotificationChannel', {
      params: { id: mail.json.id },
      body: { kind: 'webhook', name: 'mail', url: 'https://hooks.example.com/', secret: first, subscriptions: [{ events: ['*'] }] },
    });
    expect(changed.status).toBe(400);
    expect(changed.text).toContain('body.kind');
  });

  it('is for admin.config holders only', async () => {
    const denied = await world.call(researcher, 'listNotificationChannels');
    expect(denied.status).toBe(403);
  });
});
