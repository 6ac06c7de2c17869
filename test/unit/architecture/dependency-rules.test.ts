import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of `.dependency-cruiser.cjs` (what `npm run lint` checks): they hold on the code base, and
 * they still bite. The offending code is generated in a temporary copy of the repository's shape at test
 * time, so it never reaches the main lint, tsc or the bundles.
 */

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG = join(REPO, '.dependency-cruiser.cjs');
/** The folders `npm run lint` cruises (scripts/run.sh). */
const LINTED = ['bin', 'lib', 'functions', 'shared', 'scripts'];

async function cruiseWithConfig(baseDir: string, roots: string[]): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(CONFIG);
  const result = await cruise(roots, { ...options, baseDir }, {}, { tsConfig: extractTSConfig(join(baseDir, 'tsconfig.json')) });
  if (typeof result.output === 'string') throw new Error('expected a cruise result object, not a report');
  return result.output;
}

/** `rule: from → to`, with an npm dependency named by its package rather than its resolved file. */
const describeViolation = (v: IViolation): string =>
  `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')}`;

describe('dependency rules on the code base', () => {
  it('report no violation, not even a warning, in the folders npm run lint cruises', async () => {
    const result = await cruiseWithConfig(REPO, LINTED);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
    // Guard against a config that silently cruises nothing (e.g. a wrong `exclude`): every layer is seen,
    // and npm packages are reported as dependencies so the package rules have something to match.
    const sources = result.modules.map((m) => m.source);
    for (const layer of ['functions/', 'shared/domain/', 'shared/adapters/', 'lib/', 'scripts/local/']) {
      expect(
        sources.some((s) => s.startsWith(layer)),
        layer,
      ).toBe(true);
    }
    const adapterDeps = result.modules.filter((m) => m.source.startsWith('shared/adapters/')).flatMap((m) => m.dependencies);
    expect(adapterDeps.some((d) => d.module.startsWith('@aws-sdk/') && !d.couldNotResolve)).toBe(true);
  }, 60_000);
});

/** Files of a miniature repository, each breaking (or, for the `ok-` ones, respecting) one rule. */
const FIXTURE: Record<string, string> = {
  // Allowed directions: functions → domain ← adapters. These must produce no violation.
  'shared/domain/jobs/ok-job.ts': `export interface Job { id: string }\n`,
  'shared/adapters/dynamodb/ok-repository.ts': `import type { Job } from '../../domain/jobs/ok-job';\nexport const load = (id: string): Job => ({ id });\n`,
  'functions/api/ok.handler.ts': `import { load } from '../../shared/adapters/dynamodb/ok-repository';\nexport const handler = () => load('1');\n`,
  'bin/ok-app.ts': `import { stack } from '../lib/stack';\nexport const app = stack;\n`,

  // The domain stays pure: no AWS SDK, middy, Powertools, CDK, no adapters — not even a type.
  'shared/domain/jobs/sdk.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n`,
  'shared/domain/jobs/middy.ts': `import type middy from '@middy/core';\nexport type M = typeof middy;\n`,
  'shared/domain/jobs/powertools.ts': `import { Logger } from '@aws-lambda-powertools/logger';\nexport const log = new Logger();\n`,
  'shared/domain/jobs/cdk.ts': `import { Stack } from 'aws-cdk-lib';\nimport type { Construct } from 'constructs';\nexport type S = [Stack, Construct];\n`,
  'shared/domain/jobs/adapter-type.ts': `import type { load } from '../../adapters/dynamodb/ok-repository';\nexport type L = typeof load;\n`,
  'shared/domain/jobs/http.ts': `import { x } from '../../http/plumbing';\nexport const y = x;\n`,
  'shared/http/plumbing.ts': `export const x = 1;\n`,

  // Adapters never reach up into entry points or infrastructure.
  'shared/adapters/sqs/up.ts': `import { handler } from '#functions/api/ok.handler';\nimport { stack } from '#lib/stack';\nexport const z = [handler, stack];\n`,

  // Functions import neither CDK code nor tooling; lib does not import tooling.
  'functions/api/infra.handler.ts': `import { stack } from '../../lib/stack';\nexport const h = stack;\n`,
  'lib/stack.ts': `import { seed } from '../scripts/seed';\nexport const stack = seed;\n`,
  'scripts/seed.ts': `export const seed = 1;\n`,

  // Deployed code never reaches scripts/local, even through an innocent-looking shared module.
  'scripts/local/backend/local-backend.ts': `export const runOnHost = (cmd: string) => cmd;\n`,
  'shared/adapters/local/bridge.ts': `import { runOnHost } from '#scripts/local/backend/local-backend';\nexport const run = runOnHost;\n`,
  'functions/dispatcher/dispatcher.handler.ts': `import { run } from '../../shared/adapters/local/bridge';\nexport const handler = () => run('x');\n`,

  // Build-time modules (OpenAPI generation, devDependencies) stay out of every Lambda bundle.
  'shared/http/openapi.ts': `export const document = {};\n`,
  'functions/api/docs.handler.ts': `import { document } from '../../shared/http/openapi';\nexport const handler = () => document;\n`,

  // Imports resolve, and only to packages package.json declares (not transitive ones).
  'shared/adapters/dynamodb/typo.ts': `import { nothing } from './does-not-exist';\nexport const t = nothing;\n`,
  'shared/adapters/dynamodb/transitive.ts': `import type { HttpRequest } from '@smithy/types';\nexport type R = HttpRequest;\n`,

  // A function folder imports its own files and what functions share (functions/api/*.ts), never another function's.
  'functions/api/alpha/alpha.app.ts': `import { load } from '../../../shared/adapters/dynamodb/ok-repository';\nexport const a = load;\n`,
  'functions/api/alpha/alpha.handler.ts': `import { a } from './alpha.app';\nimport { shared } from '../ok-shared';\nexport const handler = [a, shared];\n`,
  'functions/api/ok-shared.ts': `export const shared = 1;\n`,
  'functions/api/beta/beta.handler.ts': `import { a } from '../alpha/alpha.app';\nexport const handler = a;\n`,

  // No cycles between domain folders, even when each file alone is acyclic.
  'shared/domain/ledger/entry.ts': `import { limit } from '../budget/limit';\nexport const entry = () => limit;\n`,
  'shared/domain/budget/limit.ts': `import type { entry } from '../ledger/use';\nexport const limit = 1;\nexport type E = typeof entry;\n`,
  'shared/domain/ledger/use.ts': `export const entry = 2;\n`,

  // No cycles.
  'shared/domain/cycle/a.ts': `import { b } from './b';\nexport const a = () => b;\n`,
  'shared/domain/cycle/b.ts': `import { a } from './a';\nexport const b = () => a;\n`,
};

/** Every violation the fixture must produce: exactly these, no more. */
const EXPECTED = [
  'domain-is-pure: shared/domain/jobs/sdk.ts → @aws-sdk/client-dynamodb',
  'domain-is-pure: shared/domain/jobs/middy.ts → @middy/core',
  'domain-is-pure: shared/domain/jobs/powertools.ts → @aws-lambda-powertools/logger',
  'domain-is-pure: shared/domain/jobs/cdk.ts → aws-cdk-lib',
  'domain-is-pure: shared/domain/jobs/cdk.ts → constructs',
  // aws-cdk-lib is a devDependency imported for a value, from code that gets deployed.
  'deployed-code-not-to-dev-dependency: shared/domain/jobs/cdk.ts → aws-cdk-lib',
  'domain-is-pure: shared/domain/jobs/adapter-type.ts → shared/adapters/dynamodb/ok-repository.ts',
  'domain-is-pure: shared/domain/jobs/http.ts → shared/http/plumbing.ts',
  'shared-does-not-import-entry-points: shared/adapters/sqs/up.ts → functions/api/ok.handler.ts',
  'shared-does-not-import-entry-points: shared/adapters/sqs/up.ts → lib/stack.ts',
  'functions-do-not-import-infrastructure: functions/api/infra.handler.ts → lib/stack.ts',
  'lib-does-not-import-scripts: lib/stack.ts → scripts/seed.ts',
  'deployed-code-never-imports-local-stack: shared/adapters/local/bridge.ts → scripts/local/backend/local-backend.ts',
  'deployed-code-never-imports-local-stack: functions/dispatcher/dispatcher.handler.ts → scripts/local/backend/local-backend.ts',
  'functions-never-reach-build-time-modules: functions/api/docs.handler.ts → shared/http/openapi.ts',
  'not-to-unresolvable: shared/adapters/dynamodb/typo.ts → ./does-not-exist',
  'no-non-package-json: shared/adapters/dynamodb/transitive.ts → @smithy/types',
  'functions-do-not-import-other-functions: functions/api/beta/beta.handler.ts → functions/api/alpha/alpha.app.ts',
  // A folder cycle is reported from each folder on it.
  'no-domain-folder-cycles: shared/domain/budget → shared/domain/ledger',
  'no-domain-folder-cycles: shared/domain/ledger → shared/domain/budget',
  // A cycle is reported once, at the dependency that closes it from the first module cruised.
  'no-circular: shared/domain/cycle/a.ts → shared/domain/cycle/b.ts',
].sort();

describe('dependency rules on code that breaks them', () => {
  let dir = '';
  let violations: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qm-depcruise-'));
    cpSync(join(REPO, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const [path, source] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const result = await cruiseWithConfig(dir, LINTED);
    violations = result.summary.violations.map(describeViolation).sort();
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports exactly the expected violations', () => {
    expect(violations).toEqual(EXPECTED);
  });

  it('reports a domain file importing the AWS SDK (the rule npm run lint relies on)', () => {
    expect(violations).toContain('domain-is-pure: shared/domain/jobs/sdk.ts → @aws-sdk/client-dynamodb');
  });

  it('leaves the allowed directions alone', () => {
    expect(violations.filter((v) => v.includes('/ok-') || v.includes('/ok.'))).toEqual([
      'domain-is-pure: shared/domain/jobs/adapter-type.ts → shared/adapters/dynamodb/ok-repository.ts',
      'shared-does-not-import-entry-points: shared/adapters/sqs/up.ts → functions/api/ok.handler.ts',
    ]);
  });
});
