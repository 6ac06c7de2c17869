import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '#scripts/local/chromium';
import { demoPassword } from '#scripts/local/local-identity';

/**
 * A real browser for the console tests: Debian's Chromium driven by playwright-core (no browser download),
 * each user in a fresh context (no shared cookies or storage). The dev IdP's certificate is self-signed,
 * so contexts accept it, as a developer does once in their own browser.
 */
export interface ConsoleBrowser {
  browser: Browser;
  /** Signs `user` in through the console's button and the dev IdP's real login page; resolves on the console. */
  signIn(consoleUrl: string, user: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  /** axe-core's serious and critical accessibility violations on the page as it is now (rule ids and targets). */
  accessibilityViolations(page: Page): Promise<string[]>;
  close(): Promise<void>;
}

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const LAPTOP = { width: 1280, height: 900 };
/** An iPad in portrait. */
export const TABLET = { width: 768, height: 1024 };

/** Screenshots land here (CI keeps the folder as an artifact). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'console');

export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const executablePath = ensureChromium();
  // playwright-core gives each launch a new empty profile directory of its own, and adds --headless itself.
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS.filter((flag) => flag !== '--headless'), headless: true });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    async signIn(consoleUrl, user, viewport = LAPTOP) {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport });
      const page = await context.newPage();
      await page.goto(consoleUrl);
      await page.getByRole('button', { name: /Sign in with Dev IdP/ }).click();
      await page.getByLabel('Username').fill(user);
      await page.getByLabel('Password').fill(demoPassword(user));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.toString().startsWith(consoleUrl) && !url.pathname.startsWith('/auth/'));
      // The signed-in shell (its top bar renders once `GET /v1/me` answered), at any width.
      await page.locator('#top-nav').waitFor();
      return { context, page };
    },
    async screenshot(page, name) {
      // Viewport-sized: a full-page capture resizes the window, and the layout then folds its navigation away.
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    },
    async accessibilityViolations(page) {
      // Let finite transitions end first: a flash still fading in has a partly transparent text colour, which axe
      // reports as low contrast although the settled page has none. Spinners (infinite) are not waited for.
      await page.evaluate(() => {
        interface RunningAnimation {
          effect: { getComputedTiming(): { endTime?: number | string } } | null;
          finished: Promise<unknown>;
        }
        const { document } = globalThis as unknown as { document: { getAnimations(): RunningAnimation[] } };
        return Promise.all(
          document
            .getAnimations()
            .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime)))
            .map((animation) => animation.finished.catch(() => undefined)),
        );
      });
      // Through the DevTools protocol, not a <script> tag: the console's CSP (rightly) refuses inline scripts.
      await page.evaluate(await readFile(AXE_SCRIPT, 'utf8'));
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> };
          }
        ).axe;
        const result = await axe.run();
        return result.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
      });
      return violations;
    },
    close: () => browser.close(),
  };
}
