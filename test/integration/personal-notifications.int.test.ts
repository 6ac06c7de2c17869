import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { approvalEvent } from '#domain/approvals/approval.events';
import type { DomainEvent } from '#domain/events/event-envelope';
import { jobEvent } from '#domain/jobs/job.events';
import { personalChannelId } from '#domain/notifications/personal-delivery.service';
import { composeNotifier } from '#functions/events/notifier/notifier.app';
import { notifierEnvSchema } from '#functions/events/notifier/notifier.env';
import { startDevMailbox, type DevMailbox, type ReceivedMail } from '#scripts/local/dev-notifications/dev-mailbox';
import { SmtpEmailTransport } from '#scripts/local/dev-notifications/smtp-email.transport';
import { actorId } from '#test-support/authz-fixtures';
import { createApprovalsWorld, type ApprovalsWorld } from '#test-support/approvals-world';
import { ORGS, TEAMS } from '#test-support/authz-world';
import { queuedJob } from '#test-support/job-fixtures';

/**
 * Personal email end to end on local parts: users choose through the real me function (`/v1/me/notifications`),
 * the notifier's one composition delivers on DynamoDB Local over SMTP to the dev mailbox (the local stand-in
 * for SES, which does not run here), approval requests come from the approval flow run locally from the
 * synthesized definition, and the emailed links are followed to the real approval-links function. The
 * approval-link key sits in the file-backed secret store (standing in for Secrets Manager).
 */
let env: ApprovalsWorld;
let mailbox: DevMailbox;
let notifier: ReturnType<typeof composeNotifier>;
const outbox = new InProcessEventBus();
const logLines: string[] = [];
const ids = ulidSource();
const researcher = actorId('researcher');
const lead = actorId('lead');
const admin = actorId('admin');
const viewer = actorId('viewer');
const nlpLead = 'nlp-lead';
const quietLead = 'vision-lead-quiet';

let receives = 0;
/** One SQS message carrying `event`, as the notification queue delivers it, through the notifier's handler. */
async function deliver(event: DomainEvent, receiveCount = 1) {
  receives += 1;
  const batch = {
    Records: [
      {
        messageId: `m-${receives}`,
        receiptHandle: `r-${receives}`,
        body: JSON.stringify(event),
        attributes: { ApproximateReceiveCount: String(receiveCount) },
      },
    ],
  } as unknown as SQSEvent;
  return notifier(batch);
}

const mailsAbout = (event: DomainEvent, to?: string): ReceivedMail[] =>
  mailbox.messages.filter((mail) => mail.subject.includes(`${event.type}: ${event.subject}`) && (to === undefined || mail.to.includes(to)));

async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Lets SMTP hand over anything still in flight before asserting that nothing arrived. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

const subscribe = async (userId: string, body: { jobEvents: string[]; approvals: boolean }) => {
  const answer = await env.call(userId, 'replaceMyNotifications', { body });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
};

const jobOf = (ownerId: string) =>
  queuedJob({ id: ids.next(), orgId: ORGS.acme, ownerId, teamId: TEAMS.vision, name: 'train-7', note: 'n', at: new Date().toISOString() });

const linksIn = (mail: ReceivedMail) => ({
  approve: /Approve: (\S+)/.exec(mail.text)?.[1],
  reject: /Reject: +(\S+)/.exec(mail.text)?.[1],
});

async function heldRequest(name: string) {
  const before = (await env.published()).length;
  const held = await env.call(researcher, 'submitJob', {
    body: { name, image: 'busybox', command: ['true'], hardwareType: 'gpu-a100-8x', maxRuntimeMinutes: 110 },
  });
  expect(held.json.state).toBe('pending_approval');
  const approvalId: string = held.json.approval.id;
  const required = await until(async () =>
    (await env.published()).slice(before).find((event) => event.type === 'approval.required' && event.data.approvalId === approvalId),
  );
  return { approvalId, jobId: held.json.id as string, required };
}

beforeAll(async () => {
  env = await createApprovalsWorld();
  mailbox = await startDevMailbox();
  await env.world.putUser({ id: quietLead, level: 'lead', teamIds: [TEAMS.vision] });
  await env.world.putUser({ id: nlpLead, level: 'lead', teamIds: [TEAMS.nlp] });
  const rule = await env.call(admin, 'createApprovalRule', {
    body: { name: 'high_cost', condition: 'cost_exceeds', threshold: '50', required_approver_level: 'lead', exempt_levels: ['admin'] },
  });
  expect(rule.status).toBe(201);
  const { doc, tableName } = env.world.table;
  const values = {
    QM_TABLE_NAME: tableName,
    QM_LOCAL_STACK: 'true',
    QM_CONSOLE_URL: 'http://127.0.0.1:5173',
    QM_EMAIL_FROM: 'notifications@quartermaster.local',
    QM_NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:1/queue/unused',
    QM_NOTIFY_MAX_ATTEMPTS: '3',
    QM_APPROVAL_LINK_KEY_SECRET_ID: env.linkKeyRef,
    QM_APPROVAL_LINK_BASE_URL: env.apiBaseUrl,
  };
  const record = (level: string) => (message: string, details: Record<string, unknown>) =>
    logLines.push(JSON.stringify({ level, message, ...details }));
  notifier = composeNotifier(loadEnv(notifierEnvSchema, values), {
    doc,
    secrets: env.secrets,
    events: outbox,
    email: new SmtpEmailTransport({ host: mailbox.smtp.host, port: mailbox.smtp.port, from: 'notifications@quartermaster.local' }),
    redelivery: { retryIn: async () => undefined },
    log: { warn: record('WARN'), error: record('ERROR') },
  });
  // Choices made through the real route, by each user for themselves.
  await subscribe(researcher, { jobEvents: ['job.failed', 'approval.granted'], approvals: false });
  await subscribe(lead, { jobEvents: [], approvals: true });
  await subscribe(admin, { jobEvents: [], approvals: true });
  await subscribe(nlpLead, { jobEvents: [], approvals: true });
  await subscribe(viewer, { jobEvents: [], approvals: true });
}, 120_000);

afterAll(async () => {
  await mailbox?.stop();
  await env?.stop();
});

describe("my jobs' events", () => {
  it('mail a subscribed owner the types they chose, at their own address; an unsubscribed owner gets nothing', async () => {
    const mine = jobEvent('job.failed', { ...jobOf(researcher), state: 'failed' }, ids.next(), new Date().toISOString());
    const notChosen = jobEvent('job.completed', { ...jobOf(researcher), state: 'succeeded' }, ids.next(), new Date().toISOString());
    const peers = jobEvent('job.failed', { ...jobOf('peer'), state: 'failed' }, ids.next(), new Date().toISOString());
    for (const event of [mine, notChosen, peers]) expect(await deliver(event)).toEqual({ batchItemFailures: [] });
    const mail = await until(() => mailsAbout(mine)[0]);
    expect(mail.to).toEqual([`${researcher}@acme.test`]);
    expect(mail.text).toContain('Open in Quartermaster: http://127.0.0.1:5173/jobs/');
    expect(mail.text).not.toContain('Approve:');
    await settle();
    expect(mailsAbout(notChosen)).toEqual([]);
    expect(mailsAbout(peers)).toEqual([]);
  });

  it('sends a redelivered message once per recipient (the delivery record is the idempotency key)', async () => {
    const event = jobEvent('job.failed', { ...jobOf(researcher), state: 'failed' }, ids.next(), new Date().toISOString());
    await deliver(event);
    await deliver(event, 2);
    await Promise.all([deliver(event, 3), deliver(event, 3)]);
    await until(() => mailsAbout(event)[0]);
    await settle();
    expect(mailsAbout(event)).toHaveLength(1);
    const { doc, tableName } = env.world.table;
    const items = (await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const records = items.filter((item) => item.pk === `ORG#${ORGS.acme}#NOTIFICATION_DELIVERIES#${personalChannelId(researcher)}`);
    expect(records.filter((item) => item.eventId === event.id)).toEqual([
      expect.objectContaining({ status: 'delivered', attempt: 1, eventType: 'job.failed' }),
    ]);
  });

  it("mails the outcome of the approval my job waited for (the requester's approval.granted)", async () => {
    const { approvalId } = await heldRequest('granted-for-me');
    expect((await env.call(lead, 'approveApproval', { params: { id: approvalId }, body: { comment: 'ok' } })).status).toBe(200);
    const granted = await until(async () =>
      (await env.published()).find((e) => e.type === 'approval.granted' && e.data.approvalId === approvalId),
    );
    await deliver(granted);
    const mail = await until(() => mailsAbout(granted)[0]);
    expect(mail.to).toEqual([`${researcher}@acme.test`]);
    expect(mail.text).not.toContain('Approve:');
    await env.flows.settled(approvalId);
  });
});

describe('approval requests that wait for me', () => {
  it('mail each subscribed approver who may decide, with working signed links; nobody else', async () => {
    const { approvalId, jobId, required } = await heldRequest('needs-a-lead');
    expect(await deliver(required)).toEqual({ batchItemFailures: [] });
    const leadMail = await until(() => mailsAbout(required, `${lead}@acme.test`)[0]);
    // The admin is above the rule's level and has the requester in scope.
    await until(() => mailsAbout(required, `${admin}@acme.test`)[0]);
    await settle();
    // A lead of another team (out of scope), a viewer (no approval right), a lead who did not subscribe, and the
    // requester (no right, and nobody approves their own job) get nothing.
    expect(
      mailsAbout(required)
        .flatMap((mail) => mail.to)
        .sort(),
    ).toEqual([`${admin}@acme.test`, `${lead}@acme.test`]);

    const links = linksIn(leadMail);
    expect(links.approve).toMatch(/^https:\/\/api\.qm\.example\/v1\/approval-links\?token=v1\./);
    expect(links.reject).toMatch(/^https:\/\/api\.qm\.example\/v1\/approval-links\?token=v1\./);
    // Follow the link: the confirmation page decides nothing; its form's post decides, as the lead, via email.
    const page = await env.link({ method: 'GET', url: links.approve! });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Approve job “needs-a-lead”?');
    const token = new URL(links.approve!).searchParams.get('token')!;
    const decided = await env.link({ method: 'POST', form: { token, comment: 'approved from my inbox' } });
    expect(decided.status).toBe(200);
    expect(decided.html).toContain('Job “needs-a-lead” approved');
    expect(await env.approvals.get(ORGS.acme, approvalId)).toMatchObject({
      state: 'approved',
      decision: { by: lead, via: 'email', comment: 'approved from my inbox' },
    });
    expect((await env.call(researcher, 'getJob', { params: { id: jobId } })).json.state).toBe('queued');
    // The admin's links are theirs alone, and the request no longer waits.
    const adminLinks = linksIn(mailsAbout(required, `${admin}@acme.test`)[0]!);
    expect(adminLinks.approve).not.toBe(links.approve);
    expect((await env.link({ method: 'GET', url: adminLinks.reject! })).status).toBe(409);
    await env.flows.settled(approvalId);
  });

  it('re-checks at send time: a request decided meanwhile, or an approver demoted since subscribing, gets no mail', async () => {
    const { approvalId, required } = await heldRequest('decided-first');
    const user = (await env.world.access.users.currentUser(lead))!;
    await env.world.access.users.save({ ...user, level: 'researcher', authzVersion: (user.authzVersion ?? 0) + 1 }, user.authzVersion ?? 0);
    try {
      await deliver(required);
      await until(() => mailsAbout(required, `${admin}@acme.test`)[0]);
      await settle();
      expect(mailsAbout(required, `${lead}@acme.test`)).toEqual([]);
    } finally {
      const demoted = (await env.world.access.users.currentUser(lead))!;
      await env.world.access.users.save(
        { ...demoted, level: 'lead', authzVersion: (demoted.authzVersion ?? 0) + 1 },
        demoted.authzVersion ?? 0,
      );
    }
    expect((await env.call(admin, 'rejectApproval', { params: { id: approvalId }, body: {} })).status).toBe(200);
    const stale = { ...required, id: ids.next() };
    await deliver(stale);
    await settle();
    expect(mailbox.messages.filter((mail) => mail.subject.includes(required.subject)).length).toBe(1);
    await env.flows.settled(approvalId);
  });

  it('an escalation asks the next level up: the admin, not the lead', async () => {
    const { approvalId } = await heldRequest('escalate-me');
    const request = (await env.approvals.get(ORGS.acme, approvalId))!;
    const escalated = approvalEvent('approval.escalated', request, ids.next(), new Date().toISOString());
    expect(escalated.data.approverLevel).toBe('admin');
    await deliver(escalated);
    await until(() => mailsAbout(escalated, `${admin}@acme.test`)[0]);
    await settle();
    expect(mailsAbout(escalated).flatMap((mail) => mail.to)).toEqual([`${admin}@acme.test`]);
    expect((await env.call(admin, 'rejectApproval', { params: { id: approvalId }, body: {} })).status).toBe(200);
    await env.flows.settled(approvalId);
  });

  it('keeps the links out of delivery records, events, table items and log lines', async () => {
    const { approvalId, required } = await heldRequest('keep-it-secret');
    await deliver(required);
    const mail = await until(() => mailsAbout(required, `${lead}@acme.test`)[0]);
    const { approve, reject } = linksIn(mail);
    const { doc, tableName } = env.world.table;
    const items = (await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const everything = JSON.stringify([items, await env.published(), outbox.published, logLines]);
    for (const url of [approve!, reject!]) {
      const [, claims, signature] = new URL(url).searchParams.get('token')!.split('.') as [string, string, string];
      expect(everything).not.toContain(signature);
      expect(everything).not.toContain(claims);
    }
    const records = items.filter((item) => String(item.pk).endsWith(`#NOTIFICATION_DELIVERIES#${personalChannelId(lead)}`));
    expect(records.find((item) => item.eventId === required.id)).toMatchObject({ status: 'delivered' });
    // Recipients' addresses are not in delivery records either.
    expect(JSON.stringify(records)).not.toContain('@acme.test');
    expect((await env.call(admin, 'rejectApproval', { params: { id: approvalId }, body: {} })).status).toBe(200);
    await env.flows.settled(approvalId);
  });
});
