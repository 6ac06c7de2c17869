import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** How init time is measured; printed in the report so the figure can be read correctly. */
export const INIT_METHOD =
  'fresh `node` process per sample (same binary as the bench); inside it, performance.now() around ' +
  '`await import(bundle)` (module load, parse, evaluate = the composition root), excluding Node bootstrap; ' +
  'env is exactly the function env plus Lambda-like AWS vars (no NODE_OPTIONS, no compile cache, no ' +
  'AWS_LAMBDA_FUNCTION_NAME); samples interleaved round-robin across bundles after one discarded warm-up each';

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

/** One fresh-process import of `bundleFile`; resolves to the import time in milliseconds. */
export async function measureImportOnce(bundleFile: string, env: Record<string, string>): Promise<number> {
  // A clean env: inheriting ours would bring tsx's loader hooks (NODE_OPTIONS) and whatever the shell has.
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env };
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, pathToFileURL(bundleFile).href], {
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

/**
 * `runs` samples per subject, interleaved (A B C A B C …) so that drift in machine load (another engineer's
 * tests on the same 2 cores) spreads over every subject instead of biasing whichever ran during it.
 */
export async function measureImports(
  subjects: readonly ImportSubject[],
  runs: number,
  progress: (message: string) => void = () => undefined,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  // Warm-up: pages the bundle and node binary into the OS file cache, as a Lambda's snapshot/disk would be.
  for (const subject of subjects) await measureImportOnce(subject.file, subject.env);
  for (let run = 1; run <= runs; run++) {
    for (const subject of subjects) samples.get(subject.name)?.push(await measureImportOnce(subject.file, subject.env));
    progress(`init run ${run}/${runs} done`);
  }
  return samples;
}
