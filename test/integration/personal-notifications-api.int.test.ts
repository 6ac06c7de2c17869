import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';
import { DynamoPersonalSubscriptionRepository } from '#adapters/dynamodb/dynamo-personal-subscription.repository';
import { createAuthzWorld, ORGS, TEAMS, type AuthzWorld } from '#test-support/authz-world';

/**
 * `/v1/me/notifications` through the real me function (middy chain, access gate, audit middleware) on DynamoDB
 * Local: any signed-in user chooses what is mailed to them, about themselves, to their own address only.
 */
let world: AuthzWorld;
let subscriptions: DynamoPersonalSubscriptionRepository;

beforeAll(async () => {
  world = await createAuthzWorld();
  subscriptions = new DynamoPersonalSubscriptionRepository(world.table.doc, world.table.tableName);
  await world.putUser({ id: 'vera', level: 'viewer', teamIds: [TEAMS.vision], email: 'vera@acme.test' });
  await world.putUser({ id: 'lena', level: 'lead', teamIds: [TEAMS.vision], email: 'lena@acme.test' });
  await world.putUser({ id: 'nomail', level: 'researcher', email: 'nomail@users.invalid' });
}, 60_000);

const put = (caller: string, body: unknown) => world.call(caller, 'replaceMyNotifications', { body });

describe('my notifications (any signed-in user, about themselves)', () => {
  it('starts with everything off and shows the address mail would go to', async () => {
    const got = await world.call('vera', 'getMyNotifications');
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ jobEvents: [], approvals: false, email: 'vera@acme.test', deliverable: true, canApprove: false });
    expect(got.json.availableJobEvents).toEqual(expect.arrayContaining(['job.started', 'job.completed', 'job.failed', 'job.cancelled']));
  });

  it('lets a viewer (no admin.config) opt in, stores it in their org, and audits the change once', async () => {
    const before = world.auditAppends();
    const saved = await put('vera', { jobEvents: ['job.failed', 'job.completed', 'job.failed'], approvals: true });
    expect(saved.status).toBe(200);
    // Catalog order, each once.
    expect(saved.json).toMatchObject({ jobEvents: ['job.completed', 'job.failed'], approvals: true, email: 'vera@acme.test' });
    expect(world.auditAppends() - before).toBe(1);
    expect(await subscriptions.get(ORGS.acme, 'vera')).toMatchObject({ jobEvents: ['job.completed', 'job.failed'], approvals: true });
    const entries = await new DynamoAuditTrail(world.table.doc, world.table.tableName).query({
      orgId: ORGS.acme,
      action: 'notifications.personal.replace',
      limit: 10,
    });
    expect(entries.items.find((entry) => entry.actor === 'vera')).toMatchObject({
      target: 'user/vera',
      outcome: 'success',
      details: { jobEvents: ['job.completed', 'job.failed'], approvals: true },
    });
    expect((await world.call('vera', 'getMyNotifications')).json).toMatchObject({
      jobEvents: ['job.completed', 'job.failed'],
      approvals: true,
    });
    // Opting out is the same route.
    expect((await put('vera', { jobEvents: [], approvals: false })).json).toMatchObject({ jobEvents: [], approvals: false });
  });

  it('says whether the caller may approve (the notifier checks each request again at send time)', async () => {
    expect((await world.call('lena', 'getMyNotifications')).json.canApprove).toBe(true);
  });

  it('refuses an address, another user or any other field with 400 naming it, and writes nothing', async () => {
    await put('lena', { jobEvents: ['job.started'], approvals: false });
    for (const [body, field] of [
      [{ jobEvents: ['job.failed'], approvals: true, email: 'someone@else.example' }, 'body.email'],
      [{ jobEvents: ['job.failed'], approvals: true, userId: 'vera' }, 'body.userId'],
      [{ jobEvents: ['quota.exceeded'], approvals: true }, 'body.jobEvents.0'],
      [{ jobEvents: 'job.failed', approvals: true }, 'body.jobEvents'],
      [{ approvals: true }, 'body.jobEvents'],
      [{ jobEvents: [], approvals: 'yes' }, 'body.approvals'],
    ] as const) {
      const refused = await put('lena', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error.details.fields.map((issue: { field: string }) => issue.field)).toContain(field);
    }
    expect(await subscriptions.get(ORGS.acme, 'lena')).toMatchObject({ jobEvents: ['job.started'], approvals: false });
    expect(await subscriptions.get(ORGS.acme, 'vera')).toMatchObject({ jobEvents: [], approvals: false });
  });

  it('refuses to opt in (422 naming the field) when the identity gave no deliverable address; opting out still works', async () => {
    const refused = await put('nomail', { jobEvents: ['job.failed'], approvals: false });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details.fields).toEqual([expect.objectContaining({ field: 'body.jobEvents' })]);
    const approvals = await put('nomail', { jobEvents: [], approvals: true });
    expect(approvals.status).toBe(422);
    expect(approvals.json.error.details.fields).toEqual([expect.objectContaining({ field: 'body.approvals' })]);
    expect(await subscriptions.get(ORGS.acme, 'nomail')).toBeUndefined();
    const off = await put('nomail', { jobEvents: [], approvals: false });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ deliverable: false });
  });
});
