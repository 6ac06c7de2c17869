import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How init time is measured; printed in the report so the figure can be read correctly. */
export const INIT_METHOD =
  'fresh `node` process per sample (same binary as the bench); inside it, performance.now() around ' +
  '`await import(bundle)` (module load, parse, evaluate = the composition root), excluding Node bootstrap; ' +
  'env is exactly the function env plus Lambda-like AWS vars (no NODE_OPTIONS, no compile cache, no ' +
  'AWS_LAMBDA_FUNCTION_NAME); every sample paired with a floor sample taken next to it, bundles in a new random order ' +
  'each round, one discarded warm-up each; the ratio is the median of the per-pair ratios';

/**
 * Runs in the child. It also checks that the bundle exports a `handler` function: a bundle that threw or
 * exported nothing must not pass as a fast one.
 */
const CHILD_SCRIPT = `
const url = process.argv[1];
const t0 = performance.now();
const mod = await import(url);
const ms = performance.now() - t0;
if (typeof mod.handler !== 'function') throw new Error('bundle exports no handler function');
process.stdout.write(JSON.stringify({ ms }), () => process.exit(0));
`;

/** How the first use of a lazily loaded file is measured (its import after the bundle's own). */
export const LAZY_IMPORT_METHOD =
  'fresh `node` process per sample; the bundle is imported first (not timed), then performance.now() around ' +
  '`await import(lazyFile)`: what the first request that needs it pays on top of the cold start';

/** Runs in the child: the bundle's import (the cold start, already measured), then the lazy file's. */
const LAZY_CHILD_SCRIPT = `
const [url, lazyUrl] = process.argv.slice(1);
const mod = await import(url);
if (typeof mod.handler !== 'function') throw new Error('bundle exports no handler function');
const t0 = performance.now();
const lazy = await import(lazyUrl);
const ms = performance.now() - t0;
if (Object.keys(lazy).length === 0) throw new Error('lazy file exports nothing');
process.stdout.write(JSON.stringify({ ms }), () => process.exit(0));
`;

/** One fresh-process import of `bundleFile`; resolves to the import time in milliseconds. */
export function measureImportOnce(bundleFile: string, env: Record<string, string>): Promise<number> {
  return timeInChild(CHILD_SCRIPT, [bundleFile], env);
}

/** One fresh process: `bundleFile` imported, then the time of importing `lazyFile` (its first use). */
export function measureLazyImportOnce(bundleFile: string, lazyFile: string, env: Record<string, string>): Promise<number> {
  return timeInChild(LAZY_CHILD_SCRIPT, [bundleFile, lazyFile], env);
}

async function timeInChild(script: string, files: string[], env: Record<string, string>): Promise<number> {
  const bundleFile = files.at(-1) ?? '';
  // A clean env: inheriting ours would bring tsx's loader hooks (NODE_OPTIONS) and whatever the shell has.
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
  try {
    const urls = files.map((file) => pathToFileURL(file).href);
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script, ...urls], {
      env: childEnv,
      timeout: 30_000,
      maxBuffer: 1 << 20,
    });
    const parsed = JSON.parse(stdout) as { ms?: unknown };
    if (typeof parsed.ms !== 'number') throw new Error(`unexpected child output: ${stdout.slice(0, 200)}`);
    return parsed.ms;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-5).join('\n');
    throw new Error(`importing ${bundleFile} failed: ${detail || (error as Error).message}`, { cause: error });
  }
}

export interface ImportSubject {
  name: string;
  file: string;
  env: Record<string, string>;
}

/** A subject's import times, each next to a floor import taken right before or after it. */
export interface PairedSamples {
  subject: number[];
  floor: number[];
}

/**
 * `runs` samples per subject, each paired with a floor sample taken right next to it (which of the two goes
 * first is drawn at random). On a shared 2-vCPU VM most of the noise is drift: the machine is faster or
 * slower for seconds at a time, so two imports a moment apart see the same conditions and their ratio
 * cancels it, where the ratio of two medians collected across the whole run does not. Subjects are visited
 * in a new random order each round, so none always runs at the same point of the cycle.
 */
export async function measurePairedImports(
  floor: ImportSubject,
  subjects: readonly ImportSubject[],
  runs: number,
  progress: (message: string) => void = () => undefined,
): Promise<Map<string, PairedSamples>> {
  const samples = new Map<string, PairedSamples>(subjects.map((s) => [s.name, { subject: [], floor: [] }]));
  // Warm-up: pages the bundle and node binary into the OS file cache, as a Lambda's snapshot/disk would be.
  for (const subject of [floor, ...subjects]) await measureImportOnce(subject.file, subject.env);
  for (let run = 1; run <= runs; run++) {
    for (const subject of shuffled(subjects)) {
      const pair = samples.get(subject.name);
      if (!pair) continue;
      const floorFirst = Math.random() < 0.5;
      const first = await measureImportOnce(floorFirst ? floor.file : subject.file, floorFirst ? floor.env : subject.env);
      const second = await measureImportOnce(floorFirst ? subject.file : floor.file, floorFirst ? subject.env : floor.env);
      pair.floor.push(floorFirst ? first : second);
      pair.subject.push(floorFirst ? second : first);
    }
    progress(`init run ${run}/${runs} done`);
  }
  return samples;
}

/** Fisher–Yates on a copy. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
