import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_LINK_LIFETIME_MS } from '#domain/approvals/approval-links';
import { actorId, OWNERS } from '#test-support/authz-fixtures';
import { createApprovalsWorld, type ApprovalsWorld } from '#test-support/approvals-world';
import { ORGS, TEAMS } from '#test-support/authz-world';

/**
 * Approve by email: links minted as an approval email carries them, opened and confirmed through the real
 * approval-links function (middy bundle, HTML pages) on DynamoDB Local, deciding through the same service as
 * the approvals API, with the flow run locally from the synthesized definition. Secrets Manager does not run
 * here: the local secret-file store holds the link key.
 */
let env: ApprovalsWorld;
const admin = actorId('admin');
const lead = actorId('lead');
const researcher = actorId('researcher');
const bigJob = (name: string) => ({ name, image: 'busybox', command: ['true'], hardwareType: 'gpu-a100-8x', maxRuntimeMinutes: 110 });
const tokenOf = (url: string): string => new URL(url).searchParams.get('token')!;

async function heldRequest(name: string, requester = researcher): Promise<{ approvalId: string; jobId: string }> {
  const held = await env.call(requester, 'submitJob', { body: bigJob(name) });
  expect(held.json.state).toBe('pending_approval');
  const approvalId: string = held.json.approval.id;
  await waitFor(async () => (await env.approvals.get(ORGS.acme, approvalId))?.taskToken !== undefined);
  return { approvalId, jobId: held.json.id };
}

const linksFor = (approvalId: string, approverUserId = lead, now?: Date) =>
  env.mintLinks({ orgId: ORGS.acme, approvalId, approverUserId }, now);
const stateOf = async (approvalId: string) => (await env.approvals.get(ORGS.acme, approvalId))!.state;

beforeAll(async () => {
  env = await createApprovalsWorld();
  await env.world.putUser({ id: 'vision-lead-2', level: 'lead', teamIds: [TEAMS.vision] });
  const rule = await env.call(admin, 'createApprovalRule', {
    body: { name: 'high_cost', condition: 'cost_exceeds', threshold: '50', required_approver_level: 'lead', exempt_levels: ['admin'] },
  });
  expect(rule.status).toBe(201);
}, 120_000);
afterAll(async () => env?.stop());

describe('opening a link (GET) never decides', () => {
  it('shows a confirmation page with the request and a form, under a strict CSP, and decides nothing however often it is opened', async () => {
    const { approvalId } = await heldRequest('open-me');
    const links = await linksFor(approvalId);
    for (let i = 0; i < 3; i += 1) {
      const page = await env.link({ method: 'GET', url: links.approveUrl });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(
        "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(page.headers['referrer-policy']).toBe('same-origin');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.html).toContain('<html lang="en">');
      expect(page.html).toContain('Approve job “open-me”?');
      expect(page.html).toMatch(/<form method="post" action="approval-links">/);
      expect(page.html).toContain('<label for="comment">');
      expect(page.html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
      expect(page.html).toContain(`value="${tokenOf(links.approveUrl)}"`);
    }
    const reject = await env.link({ method: 'GET', url: links.rejectUrl });
    expect(reject.html).toContain('Reject job “open-me”?');
    expect(await stateOf(approvalId)).toBe('pending');
  });
});

describe('confirming a link (POST) decides exactly once', () => {
  it('two concurrent confirmations of one link: one decision, as the approver, via email; the other is refused', async () => {
    const { approvalId, jobId } = await heldRequest('race-me');
    const links = await linksFor(approvalId);
    const form = { token: tokenOf(links.approveUrl), comment: 'from my phone' };
    const answers = await Promise.all([env.link({ method: 'POST', form }), env.link({ method: 'POST', form })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 200)!.html).toContain('Job “race-me” approved');
    const request = (await env.approvals.get(ORGS.acme, approvalId))!;
    expect(request).toMatchObject({
      state: 'approved',
      decision: { outcome: 'approved', by: lead, comment: 'from my phone', via: 'email' },
    });
    expect((await env.call(researcher, 'getJob', { params: { id: jobId } })).json.state).toBe('queued');
    expect((await env.published()).filter((e) => e.type === 'approval.granted' && e.data.approvalId === approvalId)).toHaveLength(1);
    await env.flows.settled(approvalId);
    expect(env.flows.isRunning(approvalId)).toBe(false);

    // Used: the same link, its reject twin, and the approvals API all find it decided.
    expect((await env.link({ method: 'POST', form })).status).toBe(409);
    expect((await env.link({ method: 'POST', form: { token: tokenOf(links.rejectUrl) } })).status).toBe(409);
    const reopened = await env.link({ method: 'GET', url: links.approveUrl });
    expect(reopened.status).toBe(409);
    expect(reopened.html).toContain('no longer waiting');
    expect((await env.call('vision-lead-2', 'rejectApproval', { params: { id: approvalId }, body: {} })).status).toBe(409);

    const audit = await env.call(admin, 'listAuditEntries', { query: { limit: '100' } });
    const entries = audit.json.items.filter((e: { target?: string }) => e.target === `approval/${approvalId}`);
    expect(entries.filter((e: { outcome: string }) => e.outcome === 'success')).toEqual([
      expect.objectContaining({
        actor: lead,
        action: 'approveApproval',
        details: expect.objectContaining({ via: 'email', outcome: 'approved' }),
      }),
    ]);
    expect(entries.some((e: { outcome: string; details: { refused?: string } }) => e.outcome === 'failure' && e.details.refused)).toBe(
      true,
    );
  });

  it('a reject link rejects; the job ends rejected', async () => {
    const { approvalId, jobId } = await heldRequest('reject-by-mail');
    const links = await linksFor(approvalId);
    const answer = await env.link({ method: 'POST', form: { token: tokenOf(links.rejectUrl) } });
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('Job “reject-by-mail” rejected');
    expect((await env.call(admin, 'getJob', { params: { id: jobId } })).json.state).toBe('rejected');
    await env.flows.settled(approvalId);
  });

  it('once a link is used it stays used, even while its request would wait again (the ledger, not the request, says so)', async () => {
    const { approvalId } = await heldRequest('ledger');
    const links = await linksFor(approvalId);
    const other = await linksFor(approvalId, 'vision-lead-2');
    // Another approver's link decides; this one then finds the request closed on GET and POST alike.
    expect((await env.link({ method: 'POST', form: { token: tokenOf(other.rejectUrl) } })).status).toBe(200);
    expect((await env.link({ method: 'GET', url: links.approveUrl })).status).toBe(409);
    await env.flows.settled(approvalId);
  });
});

describe('links that do nothing, each with a clear page', () => {
  let approvalId: string;
  beforeAll(async () => {
    ({ approvalId } = await heldRequest('refusals'));
  });

  it('a tampered link: another decision, another request, a cut token, or none', async () => {
    const links = await linksFor(approvalId);
    const [version, claims, signature] = tokenOf(links.rejectUrl).split('.') as [string, string, string];
    const decoded = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...decoded, d: 'approve' })).toString('base64url');
    for (const token of [`${version}.${forged}.${signature}`, tokenOf(links.approveUrl).slice(0, -4), 'not-a-token']) {
      const opened = await env.link({ method: 'GET', url: `${env.apiBaseUrl}/v1/approval-links?token=${encodeURIComponent(token)}` });
      expect(opened.status).toBe(404);
      expect(opened.html).toContain('This link is not valid');
      expect((await env.link({ method: 'POST', form: { token } })).status).toBe(404);
    }
    expect((await env.link({ method: 'GET', url: `${env.apiBaseUrl}/v1/approval-links` })).status).toBe(404);
    expect((await env.link({ method: 'POST', form: { comment: 'no token' } })).status).toBe(404);
    expect(await stateOf(approvalId)).toBe('pending');
  });

  it('an expired link (past its 24 hours)', async () => {
    const minted = new Date(Date.now() - APPROVAL_LINK_LIFETIME_MS - 60_000);
    const links = await linksFor(approvalId, lead, minted);
    const opened = await env.link({ method: 'GET', url: links.approveUrl });
    expect(opened.status).toBe(410);
    expect(opened.html).toContain('This link has expired');
    expect((await env.link({ method: 'POST', form: { token: tokenOf(links.approveUrl) } })).status).toBe(410);
    expect(await stateOf(approvalId)).toBe('pending');
  });

  it('an approver who lost the right since the mail was sent (demoted), or who never had it (the requester): 403 page, audited', async () => {
    await env.world.putUser({ id: 'soon-demoted', level: 'lead', teamIds: [TEAMS.vision] });
    const links = await linksFor(approvalId, 'soon-demoted');
    expect((await env.link({ method: 'GET', url: links.approveUrl })).status).toBe(200);
    // Demoted through the admin API, as it happens.
    expect((await env.call(admin, 'setUserLevel', { params: { userId: 'soon-demoted' }, body: { level: 'researcher' } })).status).toBe(200);
    const opened = await env.link({ method: 'GET', url: links.approveUrl });
    expect(opened.status).toBe(403);
    expect(opened.html).toContain('You can no longer decide this request');
    const posted = await env.link({ method: 'POST', form: { token: tokenOf(links.approveUrl) } });
    expect(posted.status).toBe(403);

    // The requester never could (a researcher holds no approval right), and a lead never approves their own job.
    const requesterLinks = await linksFor(approvalId, researcher);
    expect((await env.link({ method: 'POST', form: { token: tokenOf(requesterLinks.approveUrl) } })).status).toBe(403);
    const leadsOwn = await heldRequest('leads-own', lead);
    const own = await linksFor(leadsOwn.approvalId, lead);
    const self = await env.link({ method: 'POST', form: { token: tokenOf(own.approveUrl) } });
    expect(self.status).toBe(403);
    expect(self.html).toContain('Nobody approves their own job');
    expect(await stateOf(leadsOwn.approvalId)).toBe('pending');
    await env.world.putUser({ id: 'gone-lead', level: 'lead', teamIds: [TEAMS.vision] });
    const disabled = await linksFor(approvalId, 'gone-lead');
    expect((await env.call(admin, 'setUserStatus', { params: { userId: 'gone-lead' }, body: { status: 'disabled' } })).status).toBe(200);
    expect((await env.link({ method: 'POST', form: { token: tokenOf(disabled.approveUrl) } })).status).toBe(403);
    expect(await stateOf(approvalId)).toBe('pending');

    const audit = await env.call(admin, 'listAuditEntries', { query: { limit: '100' } });
    const denied = audit.json.items.filter(
      (e: { target?: string; outcome: string; actor: string }) => e.target === `approval/${approvalId}` && e.outcome === 'denied',
    );
    expect(denied.map((e: { actor: string }) => e.actor)).toEqual(expect.arrayContaining(['soon-demoted', researcher, 'gone-lead']));
  });

  it('a correctly signed link naming another org: its request is not found there, its approver is not of that org', async () => {
    const foreignOrg = await env.mintLinks({ orgId: ORGS.globex, approvalId, approverUserId: 'globex-admin' });
    expect((await env.link({ method: 'POST', form: { token: tokenOf(foreignOrg.approveUrl) } })).status).toBe(404);
    await env.world.putUser({ id: 'globex-admin', orgId: ORGS.globex, level: 'admin', teamIds: [] });
    const foreignApprover = await env.mintLinks({ orgId: ORGS.acme, approvalId, approverUserId: 'globex-admin' });
    expect((await env.link({ method: 'POST', form: { token: tokenOf(foreignApprover.approveUrl) } })).status).toBe(403);
    expect(await stateOf(approvalId)).toBe('pending');
  });

  it('a confirmation posted from another site (CSRF), or hiding where from, is refused before the token is read', async () => {
    const links = await linksFor(approvalId);
    const form = { token: tokenOf(links.approveUrl) };
    const attempts: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of attempts) {
      const answer = await env.link({ method: 'POST', form, headers });
      expect(answer.status).toBe(403);
      expect(answer.html).toContain('did not come from its page');
    }
    expect(await stateOf(approvalId)).toBe('pending');
    // The link itself is untouched by the refused attempts: from its own page it still works, here the page as
    // served under the console's origin (CloudFront routes /v1/* there; emailed links point there).
    const fromConsole = await env.link({ method: 'POST', form, headers: { origin: 'https://console.qm.example' } });
    expect(fromConsole.status).toBe(200);
    await env.flows.settled(approvalId);
  });

  it('a malformed form is a 400 naming the field; JSON is refused with 415', async () => {
    const twice = await env.link({ method: 'POST', form: 'token=a&token=b' });
    expect(twice.status).toBe(400);
    expect(JSON.parse(twice.html).error.details.fields[0].field).toBe('body.token');
    const extra = await env.link({ method: 'POST', form: { token: 'x', decision: 'approve' } });
    expect(extra.status).toBe(400);
    const json = await env.link({ method: 'POST', form: '{"token":"x"}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
  });
});

describe('a link is a bearer credential', () => {
  it('no token or link is in any table item, event or audit entry; the used link is stored by the hash of its id', async () => {
    const { approvalId } = await heldRequest('secret-link', OWNERS.sameTeam);
    const links = await linksFor(approvalId);
    expect((await env.link({ method: 'POST', form: { token: tokenOf(links.approveUrl) } })).status).toBe(200);
    await env.flows.settled(approvalId);
    const { doc, tableName } = env.world.table;
    const items = (await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
    const everything = JSON.stringify([items, await env.published()]);
    for (const url of [links.approveUrl, links.rejectUrl]) {
      const [, claims, signature] = tokenOf(url).split('.') as [string, string, string];
      expect(everything).not.toContain(signature);
      expect(everything).not.toContain(claims);
    }
    const used = items.filter((item) => item.pk === `ORG#${ORGS.acme}#APPROVAL_LINKS`);
    expect(
      used.some(
        (item) => item.approvalId === approvalId && /^USED#[0-9a-f]{64}$/.test(String(item.sk)) && typeof item.expiresAt === 'number',
      ),
    ).toBe(true);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
