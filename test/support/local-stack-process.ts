import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#scripts/local/ports';

/** The local stack started by the E2E suites, as a user starts it, with what it printed at start. */
export interface StartedLocalStack {
  process: ChildProcess;
  /** Everything printed (stdout and stderr) until it said it was running. */
  output: string;
  /** The API's loopback URL. */
  url: string;
  /** The dev IdP's issuer and the self-signed certificate it serves (PEM). */
  issuer: string;
  ca: string;
}

/**
 * Starts `scripts/local/dev.ts` (what `npm run dev` runs) in its own process with a fresh data folder, waits
 * up to two minutes for "Quartermaster is running", and reads the API URL, the dev IdP and its certificate
 * from what it printed. Stopping it (and how) is the caller's: one suite checks that Ctrl-C stops everything.
 */
export async function startLocalStack(dataDirPrefix: string): Promise<StartedLocalStack> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), dataDirPrefix));
  const dev = spawn(process.execPath, ['--import', 'tsx', 'scripts/local/dev.ts', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Quartermaster is running')) {
    if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`local stack did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: dev,
    output,
    url: /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '',
    issuer: /Dev IdP\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '',
    ca: await readFile(/self-signed certificate: (\S+)\)/.exec(output)?.[1] ?? '', 'utf8'),
  };
}
