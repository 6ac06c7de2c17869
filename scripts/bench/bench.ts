import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_DIR, progress } from './bench-env';

/**
 * `npm run bench`: runs each bench module in turn and prints ONE JSON document on stdout (progress on
 * stderr), also written to `.bench/latest.json`. A module is `scripts/bench/<name>.bench.ts` exporting
 * `run(): Promise<Record<string, unknown>>`; add it to BENCHES. Budgets are reported, never enforced by the
 * exit code: a bench that crashes is a failure (exit 1), a figure over budget is information.
 *
 * Usage: npx tsx scripts/bench/bench.ts [name ...]   (no names = all)
 */
interface BenchModule {
  name: string;
  load: () => Promise<{ run: () => Promise<Record<string, unknown>> }>;
}

const BENCHES: readonly BenchModule[] = [
  { name: 'coldStart', load: () => import('./cold-start.bench') },
  { name: 'dynamoRoundTrips', load: () => import('./dynamo-round-trips.bench') },
  { name: 'submitToStart', load: () => import('./submit-to-start.bench') },
  { name: 'admission', load: () => import('./admission.bench') },
  { name: 'scheduler', load: () => import('./scheduler.bench') },
  { name: 'authorizer', load: () => import('./authorizer.bench') },
  { name: 'console', load: () => import('./console.bench') },
  { name: 'approvalFlow', load: () => import('./approval-flow.bench') },
];

/** Keys of each figure's budget verdict; collected into the top-level `allWithinBudget`. */
const VERDICT_KEYS = ['allWithinBudget', 'withinBudget'] as const;

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown bench(es): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  const selected = only.length > 0 ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;

  // The handlers we run in-process log through Powertools to stdout; only our JSON may go there.
  const writeStdout = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

  const startedAt = new Date();
  const results: Record<string, unknown> = {};
  const failures: Record<string, string> = {};
  for (const bench of selected) {
    progress(`${bench.name}: starting`);
    const t0 = performance.now();
    try {
      const { run } = await bench.load();
      results[bench.name] = { ...(await run()), elapsedMs: Math.round(performance.now() - t0) };
    } catch (error) {
      // One broken bench must not hide the others' figures; the exit code reports it.
      failures[bench.name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
      progress(`${bench.name}: FAILED: ${failures[bench.name]}`);
    }
    progress(`${bench.name}: done in ${Math.round(performance.now() - t0)} ms`);
  }

  const verdicts = Object.values(results).map(verdictOf);
  const report = {
    startedAt: startedAt.toISOString(),
    elapsedMs: Date.now() - startedAt.getTime(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: (await import('node:os')).cpus().length },
    allWithinBudget: Object.keys(failures).length === 0 && verdicts.every((v) => v !== false),
    ...results,
    ...(Object.keys(failures).length > 0 ? { failures } : {}),
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  await mkdir(BENCH_DIR, { recursive: true });
  await writeFile(join(BENCH_DIR, 'latest.json'), json);
  writeStdout(json);
  return Object.keys(failures).length > 0 ? 1 : 0;
}

/** A module's own verdict: its `allWithinBudget`, else its `withinBudget`, else every nested one ANDed. */
function verdictOf(result: unknown): boolean | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const record = result as Record<string, unknown>;
  for (const key of VERDICT_KEYS) if (typeof record[key] === 'boolean') return record[key];
  const nested = Object.values(record)
    .map(verdictOf)
    .filter((v): v is boolean => v !== undefined);
  return nested.length > 0 ? nested.every(Boolean) : undefined;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
