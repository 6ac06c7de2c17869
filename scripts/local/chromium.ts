import { existsSync } from 'node:fs';
import { aptInstall } from './apt';

/**
 * Debian's Chromium for the console's browser tests and bench (playwright-core drives it; no browser
 * download from the test tool, which this network refuses).
 */
export const CHROMIUM_BIN = '/usr/bin/chromium';

export function ensureChromium(): string {
  if (existsSync(CHROMIUM_BIN)) return CHROMIUM_BIN;
  aptInstall(['chromium'], 'chromium');
  if (!existsSync(CHROMIUM_BIN)) throw new Error('chromium still missing after apt-get install');
  return CHROMIUM_BIN;
}

/**
 * Flags for headless Chromium as root on a machine without outbound network: no sandbox (root), and no
 * background connections (they would be refused, many at a time, and slow every start).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
