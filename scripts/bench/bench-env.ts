import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Repository root; bench output goes to `.bench/` (gitignored). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIR = join(REPO_ROOT, '.bench');

/** Progress goes to stderr: stdout carries the one JSON document and nothing else. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
