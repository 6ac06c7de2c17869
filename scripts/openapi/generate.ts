/**
 * Writes `docs/openapi.json` from the route declarations (`npm run openapi`). With `--check` it writes
 * nothing and exits 1 when the committed document is stale, for CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_ROUTE_GROUPS } from '#functions/api/api.routes';
import { buildOpenApiDocument, serializeOpenApiDocument } from '#http/openapi';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OPENAPI_PATH = resolve(root, 'docs/openapi.json');

export function generateOpenApiText(): string {
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
  return serializeOpenApiDocument(buildOpenApiDocument(API_ROUTE_GROUPS, { version }));
}

/** Compares parsed JSON, so a formatter re-wrapping the committed file does not count as a change. */
export function isCurrent(onDisk: string | undefined, generated: string): boolean {
  if (onDisk === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(onDisk)) === JSON.stringify(JSON.parse(generated));
  } catch {
    return false;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function main(argv: readonly string[]): number {
  const generated = generateOpenApiText();
  if (argv.includes('--check')) {
    if (isCurrent(readIfExists(OPENAPI_PATH), generated)) {
      process.stdout.write('docs/openapi.json is up to date\n');
      return 0;
    }
    process.stderr.write('docs/openapi.json is stale: run `npm run openapi` and commit the result\n');
    return 1;
  }
  writeFileSync(OPENAPI_PATH, generated);
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
