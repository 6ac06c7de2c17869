import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#scripts/local/local-stack';
import { launchConsoleBrowser, TABLET, type ConsoleBrowser } from '#test-support/console-browser';

/**
 * The web console in a real browser (Debian Chromium driven by playwright-core) against the local stack:
 * people sign in through the dev IdP's real login page and use the pages as they would. Screenshots of the
 * main pages are written to test-results/console/ (kept by CI as artifacts).
 */
let stack: LocalStack;
let browser: ConsoleBrowser;
let consoleUrl = '';

/** Access tokens live 20 s here (15 min by default), so every session in this file renews several times. */
const ACCESS_TOKEN_SECONDS = 20;
/** The authorizer accepts a token up to 60 s past its `exp` (clock skew). */
const AUTHORIZER_SKEW_MS = 60_000;

const KEPT_SESSION_TEST = 'keeps a session open past its access token lifetime by renewing it silently (refresh token)';
/** A lead signed in at the start and left open on a page while the other tests run: its session must renew. */
let kept: { context: BrowserContext; page: Page; bearers: string[]; refreshGrants: number };

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    idpPort: 0,
    consolePort: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'qm-console-')),
    schedulerIntervalMs: 500,
    idpAccessTokenSeconds: ACCESS_TOKEN_SECONDS,
  });
  if (!stack.consoleUrl) throw new Error('web/dist is not built: `npm test` builds it (scripts/run.sh build_console)');
  consoleUrl = stack.consoleUrl;
  browser = await launchConsoleBrowser();
  const { context, page } = await browser.signIn(consoleUrl, 'lin');
  kept = { context, page, bearers: [], refreshGrants: 0 };
  page.on('request', (request) => {
    const bearer = request.headers().authorization?.replace(/^Bearer /, '');
    if (request.url().startsWith(stack.url) && bearer && !kept.bearers.includes(bearer)) kept.bearers.push(bearer);
    if (request.url().startsWith(stack.identity.issuer) && request.postData()?.includes('grant_type=refresh_token')) kept.refreshGrants++;
  });
  await go(page, 'Queue');
});

// A failed step leaves its page open: keep a picture of it for the report, then close it.
afterEach(async (context) => {
  const failed = context.task.result?.state === 'fail';
  for (const open of browser?.browser.contexts() ?? []) {
    if (open === kept?.context && context.task.name !== KEPT_SESSION_TEST) continue;
    if (failed)
      for (const [index, page] of open.pages().entries())
        await browser.screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}-${index}`);
    await open.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The element's text once it is there (polled by `eventually` until it matches). */
const text = async (locator: Locator): Promise<string> =>
  (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';

/** Polls until the assertion holds: pages load and refresh at their own pace on a busy machine. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 250 });

const go = async (page: Page, label: string): Promise<void> => {
  const link = page.getByRole('navigation').getByRole('link', { name: label, exact: true });
  // On a narrow screen the navigation may be folded away behind its toggle.
  if (!(await link.isVisible())) await page.getByRole('button', { name: 'Open navigation' }).filter({ visible: true }).first().click();
  await link.click();
};

/** How far the page scrolls sideways (0 when everything fits the window; tables scroll inside themselves). */
const sidewaysScroll = (page: Page): Promise<number> =>
  page.evaluate(() => {
    // Runs in the page (this project's types have no DOM library).
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
      .documentElement;
    return root.scrollWidth - root.clientWidth;
  });

describe('web console (real browser, local stack)', () => {
  it('shows a viewer their jobs but no way to submit one', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'vic');
    await page.getByRole('heading', { name: /My jobs/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Submit a job' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Submit a job' }).count()).toBe(0);
    await browser.screenshot(page, 'viewer-my-jobs');
    expect(await browser.accessibilityViolations(page)).toEqual([]);
    await context.close();
  });

  it('lets a researcher submit a job and watch it succeed with its logs', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'rae');
    await go(page, 'Submit a job');
    await page.getByLabel('Name').fill('console-hello');
    await page.getByLabel('Image').fill('busybox');
    await page.getByLabel('Command').fill(`sh -c 'echo hello from the console'`);
    await page.getByRole('button', { name: 'Hardware' }).click();
    await page.getByRole('option', { name: /gpu-a10g-1x/ }).click();
    await page.getByLabel('Max runtime (minutes)').fill('5');
    await eventually(() => text(page.getByTestId('cost-estimate'))).toMatch(/^\$\d+\.\d{2}$/);
    await eventually(() => text(page.getByTestId('explain-verdict'))).toMatch(/Would start now|Would wait/);
    await browser.screenshot(page, 'researcher-submit');
    expect(await browser.accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();

    await page.waitForURL(/\/jobs\/[0-9A-Z]{26}$/);
    await page.getByText('succeeded').first().waitFor({ timeout: 60_000 });
    await eventually(() => text(page.getByTestId('job-logs'))).toContain('hello from the console');
    await browser.screenshot(page, 'researcher-job');

    await go(page, 'My jobs');
    await page.getByRole('link', { name: 'console-hello' }).waitFor();
    await browser.screenshot(page, 'researcher-my-jobs');
    await go(page, 'Limits and usage');
    await page.getByRole('heading', { name: 'Headroom' }).waitFor();
    await browser.screenshot(page, 'researcher-limits');
    await context.close();
  });

  it('creates an API key shown once, and revokes it', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'rae');
    await go(page, 'API keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('ci-console');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await eventually(() => text(page.getByTestId('new-api-key'))).toMatch(/^qm_/);
    await browser.screenshot(page, 'researcher-api-keys');
    await page.getByRole('button', { name: 'Revoke ci-console' }).click();
    await eventually(() => text(page.getByRole('row', { name: /ci-console/ }))).toContain('revoked');
    await context.close();
  });

  it('lets a researcher choose email about their own jobs (to their own address), and the notifier mails them', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'rae');
    let bearer = '';
    page.on('request', (request) => {
      const header = request.headers().authorization;
      if (request.url().startsWith(stack.url) && header) bearer = header;
    });
    await go(page, 'Email notifications');
    await eventually(() => text(page.getByTestId('notification-address'))).toBe('rae@acme.test');
    await page.getByRole('checkbox', { name: /Completed successfully/ }).check();
    await page.getByRole('checkbox', { name: /Email me approval requests/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Email notifications saved').waitFor();
    await browser.screenshot(page, 'researcher-email-notifications');
    expect(await browser.accessibilityViolations(page)).toEqual([]);
    // Saved for this user: opening the page again reads the choice back (tokens live in memory: no reload).
    await go(page, 'My jobs');
    await go(page, 'Email notifications');
    await eventually(() => page.getByRole('checkbox', { name: /Completed successfully/ }).isChecked()).toBe(true);
    await eventually(() => page.getByRole('checkbox', { name: /Failed or timed out/ }).isChecked()).toBe(false);

    // A job of hers completes: the notifier mails her (SMTP to the dev mailbox, the local stand-in for SES).
    const submitted = await fetch(`${stack.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'mail-me',
        image: 'busybox',
        command: ['sh', '-c', 'echo done'],
        hardwareType: 'gpu-a10g-1x',
        maxRuntimeMinutes: 5,
      }),
    });
    expect(submitted.status).toBe(201);
    const job = (await submitted.json()) as { id: string };
    const mailTo = async (): Promise<string[]> => {
      const messages = (await (await fetch(`${stack.notifications.mailboxUrl}/messages.json`)).json()) as {
        to: string[];
        subject: string;
      }[];
      return messages.filter((mail) => mail.subject.includes(`job.completed: job/${job.id}`)).flatMap((mail) => mail.to);
    };
    // Her own copy (the seeded ops channel receives every event as well).
    await expect.poll(mailTo, { timeout: 90_000, interval: 500 }).toContain('rae@acme.test');
    await context.close();
  });

  it('lets an admin change a user level (and see the audit entry) and set a quota, shown at every admin page', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'ada');
    await go(page, 'Users');
    await page.getByRole('button', { name: 'Actions for Vic' }).click();
    await page.getByRole('menuitem', { name: 'Change level' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Level' }).click();
    await dialog.getByRole('option', { name: /^researcher/ }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => text(page.getByRole('row', { name: /Vic/ }))).toContain('researcher');
    await browser.screenshot(page, 'admin-users');

    await go(page, 'Audit log');
    await eventually(() => text(page.getByRole('row', { name: /setUserLevel/ }))).toContain('vic');
    await browser.screenshot(page, 'admin-audit');

    await go(page, 'Quotas and budgets');
    await page.getByRole('button', { name: 'Create quota' }).click();
    await dialog.getByRole('button', { name: /^Scope/ }).click();
    await dialog.getByRole('option', { name: 'user', exact: true }).click();
    await dialog.getByLabel('Scope id').fill('rae');
    await dialog.getByRole('button', { name: 'Metric' }).click();
    await dialog.getByRole('option', { name: 'cost_usd' }).click();
    await dialog.getByRole('button', { name: 'Period' }).click();
    await dialog.getByRole('option', { name: 'day' }).click();
    await dialog.getByLabel('Limit').fill('0.01');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await eventually(() => text(page.getByRole('row', { name: /user rae/ }))).toContain('cost_usd');
    await browser.screenshot(page, 'admin-quotas');

    // A monthly cost budget for the org (warn only): its burn is drawn against it.
    await page.getByRole('button', { name: 'Create quota' }).click();
    await dialog.getByRole('button', { name: /^Scope/ }).click();
    await dialog.getByRole('option', { name: 'org', exact: true }).click();
    await dialog.getByRole('button', { name: 'Metric' }).click();
    await dialog.getByRole('option', { name: 'cost_usd' }).click();
    await dialog.getByRole('button', { name: 'Period' }).click();
    await dialog.getByRole('option', { name: 'month' }).click();
    await dialog.getByLabel('Limit').fill('100');
    await dialog.getByRole('button', { name: 'When full' }).click();
    await dialog.getByRole('option', { name: 'warn' }).click();
    await dialog.getByRole('button', { name: 'Create' }).click();
    const burn = page.getByRole('heading', { name: 'Budget burn of acme' });
    await burn.evaluate((heading) => (heading as unknown as { scrollIntoView(options: object): void }).scrollIntoView({ block: 'center' }));
    await eventually(() => text(page.getByText(/of \$100\.00 \(/))).toMatch(/^\$\d+\.\d{2} of \$100\.00 \(\d/);
    await browser.screenshot(page, 'admin-budget-burn');
    expect(await browser.accessibilityViolations(page), 'Quotas and budgets').toEqual([]);

    for (const [label, name] of [
      ['Orgs and teams', 'admin-orgs'],
      ['Resource rules', 'admin-rules'],
      ['Hardware catalog', 'admin-hardware'],
      ['Identity providers', 'admin-identity-providers'],
      ['Getting started', 'admin-onboarding'],
      ['Queue', 'admin-queue'],
      ['Notification channels', 'admin-notifications'],
      ['Approvals', 'approvals-inbox'],
      ['Approval rules', 'admin-approval-rules'],
      ['Clusters', 'admin-clusters'],
      ['Levels', 'admin-levels'],
      ['System health', 'admin-system-health'],
      ['Team usage', 'lead-team-usage'],
    ] as const) {
      await go(page, label);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await browser.screenshot(page, name);
      expect(await browser.accessibilityViolations(page), label).toEqual([]);
    }

    // Deep health checks the table (and the clusters acme may use) when the page opens.
    await go(page, 'System health');
    await eventually(() => text(page.getByText(/^ok · \d+ ms$/))).toMatch(/^ok/);
    await browser.screenshot(page, 'admin-system-health');

    // A channel is added, tested, its delivery log read, then edited (disabled) without resending anything write-only.
    await go(page, 'Notification channels');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await dialog.getByLabel('Name').fill('ops-mail');
    await dialog.getByLabel('Recipients or URL').fill('ops@acme.test');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await eventually(() => text(page.getByRole('row', { name: /ops-mail/ }))).toContain('enabled');
    // A test message goes through the real delivery path (SMTP to the dev mailbox standing in for SES); the row shows its result.
    await page.getByRole('button', { name: 'Send test to ops-mail' }).click();
    await eventually(() => text(page.getByRole('row', { name: /ops-mail/ }))).toMatch(/delivered/);
    await browser.screenshot(page, 'admin-notifications-test');
    await page.getByRole('button', { name: 'Actions for ops-mail' }).click();
    await page.getByRole('menuitem', { name: 'Delivery log' }).click();
    await eventually(() => text(page.getByRole('dialog').getByRole('row', { name: /system\.test/ }))).toMatch(/delivered/);
    await browser.screenshot(page, 'admin-notification-deliveries');
    await page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: 'Actions for ops-mail' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await dialog.getByLabel('Enabled').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => text(page.getByRole('row', { name: /ops-mail/ }))).toContain('disabled');
    await browser.screenshot(page, 'admin-notifications-edited');
    await context.close();
  });

  it('explains a quota denial before the researcher submits', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'rae');
    await go(page, 'Submit a job');
    await page.getByLabel('Name').fill('too-costly');
    await page.getByLabel('Image').fill('busybox');
    await page.getByLabel('Command').fill('true');
    await page.getByRole('button', { name: 'Hardware' }).click();
    await page.getByRole('option', { name: /gpu-a10g-1x/ }).click();
    await eventually(() => text(page.getByTestId('explain-verdict'))).toContain('Would be refused');
    await browser.screenshot(page, 'researcher-quota-denial');
    await context.close();
  });

  it('is usable at tablet width (768 px): every main page fits without sideways scrolling, the navigation reaches it', async () => {
    const { context, page } = await browser.signIn(consoleUrl, 'ada', TABLET);
    for (const [label, name] of [
      ['My jobs', 'tablet-my-jobs'],
      ['Submit a job', 'tablet-submit'],
      ['Queue', 'tablet-queue'],
      ['Limits and usage', 'tablet-limits'],
      ['Team usage', 'tablet-team-usage'],
      ['Users', 'tablet-users'],
      ['Quotas and budgets', 'tablet-quotas'],
      ['Audit log', 'tablet-audit'],
      ['Notification channels', 'tablet-notifications'],
      ['Clusters', 'tablet-clusters'],
    ] as const) {
      await go(page, label);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await browser.screenshot(page, name);
      expect(await sidewaysScroll(page), label).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  it(KEPT_SESSION_TEST, async () => {
    const { page, bearers } = kept;
    const first = bearers[0];
    if (!first) throw new Error('the kept page made no API call');
    // Wait until the first access token is dead for the API too (past exp and the authorizer's skew)...
    const { exp } = JSON.parse(Buffer.from(first.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };
    const dead = exp * 1000 + AUTHORIZER_SKEW_MS + 2_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dead - Date.now())));
    expect((await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${first}` } })).status).toBe(401);
    // ...then the page still works, on renewed tokens, and never went back to sign-in.
    await go(page, 'My jobs');
    await page.getByRole('heading', { name: /My jobs/ }).waitFor();
    await go(page, 'Team usage');
    await page.getByRole('heading', { name: 'Team usage' }).waitFor();
    expect(await page.getByRole('button', { name: /Sign in with/ }).count()).toBe(0);
    expect(kept.refreshGrants).toBeGreaterThanOrEqual(2);
    const latest = bearers.at(-1) ?? '';
    expect(latest).not.toBe(first);
    expect((await fetch(`${stack.url}/v1/me`, { headers: { authorization: `Bearer ${latest}` } })).status).toBe(200);
    await browser.screenshot(page, 'lead-team-usage-after-renewal');
  });
});
