import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameCopyError } from '#adapters/kubernetes/kube-lazy';
import { AppError } from '#domain/errors/app-error';
import { BackendCapacityError, BackendLaunchError } from '#domain/jobs/backend-errors';
import { REPO_ROOT } from '#scripts/bench/bench-env';

type ErrorModules = typeof import('#domain/errors/app-error') & typeof import('#domain/jobs/backend-errors');

/**
 * A second copy of the domain error classes, bundled as the Kubernetes file bundles them (its own esbuild
 * build, see kube-lazy.ts): what `index.mjs` receives when the lazily loaded adapters throw.
 */
async function foreignCopy(dir: string): Promise<ErrorModules> {
  const file = join(dir, 'errors.mjs');
  await build({
    stdin: {
      contents: "export * from '#domain/errors/app-error'; export * from '#domain/jobs/backend-errors';",
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'error',
  });
  return (await import(pathToFileURL(file).href)) as ErrorModules;
}

describe('errors crossing back from the lazily loaded Kubernetes file', () => {
  let dir: string;
  let foreign: ErrorModules;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qm-foreign-errors-'));
    foreign = await foreignCopy(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('are not recognised by instanceof as they come (the reason for the translation)', () => {
    expect(new foreign.BackendLaunchError('kubernetes', 'no') instanceof BackendLaunchError).toBe(false);
    expect(new foreign.AppError('validation_failed', 'no') instanceof AppError).toBe(false);
  });

  it('become this copy’s classes with the same fields', () => {
    const launch = sameCopyError(new foreign.BackendLaunchError('kubernetes', 'Cluster x rejected the Job', 'HTTP 422'));
    expect(launch).toBeInstanceOf(BackendLaunchError);
    expect(launch).toMatchObject({
      backend: 'kubernetes',
      message: 'Cluster x rejected the Job',
      backendReason: 'HTTP 422',
      retryable: false,
    });

    const capacity = sameCopyError(new foreign.BackendCapacityError('kubernetes', 'no room'));
    expect(capacity).toBeInstanceOf(BackendCapacityError);
    expect(capacity).toMatchObject({ retryable: true, code: 'backend_capacity' });

    const fields = [{ field: 'query.cursor', message: 'not a cursor this listing issued' }];
    const invalid = sameCopyError(new foreign.AppError('validation_failed', 'Invalid cursor', { fields }));
    expect(invalid).toBeInstanceOf(AppError);
    expect(invalid).toMatchObject({ code: 'validation_failed', message: 'Invalid cursor', details: { fields } });
  });

  it('pass unchanged when they are already this copy’s, or are any other error', () => {
    const own = new BackendLaunchError('kubernetes', 'no');
    const other = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(sameCopyError(own)).toBe(own);
    expect(sameCopyError(other)).toBe(other);
    expect(sameCopyError('text')).toBe('text');
  });
});
