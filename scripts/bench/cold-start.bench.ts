import { copyFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LazyFile } from '#lib/constructs/bundling-options';
import { bundleFunction, bytesByPackage, topInputs, type BuiltBundle } from './bundle';
import { BENCH_DIR, REPO_ROOT, progress } from './bench-env';
import {
  assertEnvsValid,
  floorTarget,
  functionTargets,
  LAMBDA_LIKE_ENV,
  kubernetesClientTarget,
  signInLibrariesTarget,
  type FunctionTarget,
} from './function-targets';
import {
  INIT_METHOD,
  LAZY_IMPORT_METHOD,
  measureImportOnce,
  measureLazyImportOnce,
  measurePairedImports,
  type PairedSamples,
} from './init-time';
import { median, ratio, round } from './stats';

/** docs/budgets.md: bundle and init time each at most 1.5× the GetItem-only floor. */
export const COLD_START_BUDGET_RATIO = 1.5;
/** docs/budgets.md: a function with a `budgetReference` (the sign-ins) keeps bundle and init within 1.15× of it. */
export const REFERENCE_BUDGET_RATIO = 1.15;
/**
 * Fresh-process imports on a shared 2-vCPU VM scatter by ±20% from one sample to the next; with 21 samples
 * per bundle the median moves by a few percent between runs (11 left the verdict of a function near the
 * budget to chance).
 */
const INIT_RUNS = Number(process.env.QM_BENCH_INIT_RUNS ?? 21);
/** Samples of a lazily loaded file's first use per function (each paired with a floor import). */
const LAZY_RUNS = Number(process.env.QM_BENCH_LAZY_RUNS ?? 9);

interface Built {
  target: FunctionTarget;
  bundle: BuiltBundle;
}

/**
 * Cold start (docs/budgets.md): bundles the floor and every function with the CDK esbuild settings, then imports
 * each bundle in fresh Node processes. Everything is measured in this one run, so the ratios compare like
 * with like on whatever machine runs the bench.
 */
export async function run(): Promise<Record<string, unknown>> {
  if (INIT_RUNS < 7) throw new Error('QM_BENCH_INIT_RUNS must be at least 7');
  const targets = functionTargets();
  assertEnvsValid(targets);
  const outRoot = join(BENCH_DIR, 'bundles');
  await rm(outRoot, { recursive: true, force: true });

  const built: Built[] = [];
  const reference = signInLibrariesTarget();
  const kubernetes = kubernetesClientTarget();
  const references = [reference, kubernetes];
  const lazyBuilt = new Map<string, BuiltBundle>();
  for (const target of [floorTarget(), ...targets, ...references]) {
    const bundle = await bundleFunction(REPO_ROOT, target.entry, join(outRoot, target.name));
    progress(`bundled ${target.name}: ${bundle.bytes} bytes${bundle.lazyFiles.map((lazy) => ` + ${lazy.file} on first use`).join('')}`);
    // As CDK's after-bundling step does: the lazily loaded file beside index.mjs, so its import resolves.
    for (const lazy of bundle.lazyFiles) {
      const lazyBundle = lazyBuilt.get(lazy.file) ?? (await bundleFunction(REPO_ROOT, lazy.entry, join(outRoot, `lazy-${lazy.file}`)));
      lazyBuilt.set(lazy.file, lazyBundle);
      await copyFile(lazyBundle.file, join(outRoot, target.name, lazy.file));
    }
    built.push({ target, bundle });
  }

  const [floor, ...measured] = built;
  if (!floor) throw new Error('floor bundle missing');
  const subjectOf = ({ target, bundle }: Built) => ({ name: target.name, file: bundle.file, env: { ...LAMBDA_LIKE_ENV, ...target.env } });
  const samples = await measurePairedImports(subjectOf(floor), measured.map(subjectOf), INIT_RUNS, progress);
  const pairsOf = (name: string): PairedSamples => samples.get(name) ?? { subject: [], floor: [] };
  const initOf = (name: string): number => median(pairsOf(name).subject);
  const pairedRatioOf = (name: string): number => {
    const { subject, floor: floorSamples } = pairsOf(name);
    return round(median(subject.map((ms, i) => ms / (floorSamples[i] ?? Number.NaN))), 3);
  };
  const allFloorSamples = [...samples.values()].flatMap((pair) => pair.floor);
  const functions = measured.filter(({ target }) => !references.some((r) => r.name === target.name));
  const referenceBuilt = measured.find(({ target }) => target.name === reference.name);
  const kubernetesBuilt = measured.find(({ target }) => target.name === kubernetes.name);
  const floorBytes = floor.bundle.bytes;
  const floorInitMs = median(allFloorSamples);

  // First use of each lazily loaded file, per function that has one: not in the cold start, paid by the first
  // request that needs it (e.g. the first Kubernetes job a dispatcher instance launches).
  const firstUse = new Map<string, Record<string, unknown>>();
  for (const { target, bundle } of measured) {
    const env = { ...LAMBDA_LIKE_ENV, ...target.env };
    const perFile: Record<string, unknown> = {};
    for (const lazy of bundle.lazyFiles) perFile[lazy.file] = await measureFirstUse(bundle, lazy, env, floor, lazyBuilt, floorBytes);
    if (bundle.lazyFiles.length > 0) firstUse.set(target.name, perFile);
  }

  const perFunction: Record<string, unknown> = {};
  let allWithinBudget = true;
  for (const { target, bundle } of functions) {
    const initMs = initOf(target.name);
    const bundleRatio = ratio(bundle.bytes, floorBytes);
    const initRatio = pairedRatioOf(target.name);
    const against = target.budgetReference ? measured.find((m) => m.target.name === target.budgetReference) : undefined;
    if (target.budgetReference && !against) throw new Error(`${target.name}: reference point ${target.budgetReference} was not measured`);
    // Against a reference point: both were paired with floor samples, so the ratio of their paired ratios compares them.
    const vsReference = against
      ? {
          reference: against.target.name,
          bundleRatio: ratio(bundle.bytes, against.bundle.bytes),
          initRatio: round(initRatio / pairedRatioOf(against.target.name), 3),
        }
      : undefined;
    const withinBudget = vsReference
      ? vsReference.bundleRatio <= REFERENCE_BUDGET_RATIO && vsReference.initRatio <= REFERENCE_BUDGET_RATIO
      : bundleRatio <= COLD_START_BUDGET_RATIO && initRatio <= COLD_START_BUDGET_RATIO;
    allWithinBudget &&= withinBudget;
    perFunction[target.name] = {
      entry: target.entry,
      bundleBytes: bundle.bytes,
      bundleRatio,
      initMs: round(initMs),
      initRatio,
      // The fastest sample: less sensitive to other load on the machine than the median the budget uses.
      // For comparison: the ratio of the two medians, which drift during the run moves more than the paired ratio.
      initRatioOfMedians: ratio(initMs, median(pairsOf(target.name).floor)),
      initMinMs: round(Math.min(...pairsOf(target.name).subject)),
      initSamplesMs: pairsOf(target.name).subject.map((ms) => round(ms)),
      pairedFloorSamplesMs: pairsOf(target.name).floor.map((ms) => round(ms)),
      ...(vsReference ? { vsReference } : {}),
      budget: vsReference
        ? { against: vsReference.reference, maxBundleRatio: REFERENCE_BUDGET_RATIO, maxInitRatio: REFERENCE_BUDGET_RATIO, withinBudget }
        : { maxBundleRatio: COLD_START_BUDGET_RATIO, maxInitRatio: COLD_START_BUDGET_RATIO, withinBudget },
      // Files outside the cold start, imported by the first request that needs them; not in the budget verdict.
      ...(firstUse.has(target.name) ? { loadedOnFirstUse: firstUse.get(target.name) } : {}),
      // Only for functions over budget: which inputs and packages fill the bundle (esbuild metafile).
      ...(withinBudget ? {} : { topInputs: topInputs(bundle.metafile), topPackages: bytesByPackage(bundle.metafile) }),
    };
  }

  return {
    method: {
      bundler:
        'esbuild with ESBUILD_OPTIONS from lib/constructs/bundling-options.ts (as QmFunction/CDK), outfile index.mjs; ' +
        "a lazily loaded file it imports (LAZY_FILES) is built beside it, as CDK's after-bundling step does",
      init: INIT_METHOD,
      runs: INIT_RUNS,
      firstUse: `${LAZY_IMPORT_METHOD}; ${LAZY_RUNS} samples per function, each paired with a floor import`,
      node: process.version,
    },
    floor: {
      entry: floor.target.entry,
      bundleBytes: floorBytes,
      initMs: round(floorInitMs),
      initMinMs: round(Math.min(...allFloorSamples)),
      samples: allFloorSamples.length,
      topPackages: bytesByPackage(floor.bundle.metafile, 5),
    },
    functions: perFunction,
    allWithinBudget,
    ...(referenceBuilt
      ? {
          referencePoints: {
            [reference.name]: {
              entry: reference.entry,
              what:
                'The libraries the sign-in functions (api-auth: OIDC; api-password-auth: LDAP) require and nothing of Quartermaster: DynamoDB, KMS, Secrets Manager, ' +
                'ldapts, openid-client, zod, Powertools Logger, middy. Not a Quartermaster function; not in the budget verdict.',
              bundleBytes: referenceBuilt.bundle.bytes,
              bundleRatio: ratio(referenceBuilt.bundle.bytes, floorBytes),
              initMs: round(initOf(reference.name)),
              initRatio: pairedRatioOf(reference.name),
              headroomLeftForQuartermasterBytes: Math.round(floorBytes * COLD_START_BUDGET_RATIO) - referenceBuilt.bundle.bytes,
            },
            ...(kubernetesBuilt
              ? {
                  [kubernetes.name]: {
                    entry: kubernetes.entry,
                    what:
                      'What talking to a Kubernetes cluster cannot do without, and nothing of Quartermaster: DynamoDB, Secrets Manager, @kubernetes/client-node (with undici). ' +
                      'kube-poller carries it in its cold start; the dispatcher, api-logs, api-clusters and api-health-deep load it on first use (loadedOnFirstUse). ' +
                      'Not a Quartermaster function; not in the budget verdict.',
                    bundleBytes: kubernetesBuilt.bundle.bytes,
                    bundleRatio: ratio(kubernetesBuilt.bundle.bytes, floorBytes),
                    initMs: round(initOf(kubernetes.name)),
                    initRatio: pairedRatioOf(kubernetes.name),
                    // kube-poller exists only to talk to clusters and keeps the client in its cold start: how far it is
                    // from this reference point (what its cold start cannot go below) rather than from the floor.
                    ...(functions.some(({ target }) => target.name === 'kube-poller')
                      ? {
                          kubePoller: {
                            bundleRatioToReference: ratio(
                              functions.find(({ target }) => target.name === 'kube-poller')?.bundle.bytes ?? Number.NaN,
                              kubernetesBuilt.bundle.bytes,
                            ),
                            initRatioToReference: round(pairedRatioOf('kube-poller') / pairedRatioOf(kubernetes.name), 3),
                          },
                        }
                      : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * The first use of `lazy` from `bundle`: import time of the lazy file in a fresh process that has imported the
 * bundle, each sample paired with a floor import taken right after it (ratio = median of per-pair ratios).
 */
async function measureFirstUse(
  bundle: BuiltBundle,
  lazy: LazyFile,
  env: Record<string, string>,
  floor: Built,
  lazyBuilt: ReadonlyMap<string, BuiltBundle>,
  floorBytes: number,
): Promise<Record<string, unknown>> {
  const lazyFile = join(dirname(bundle.file), lazy.file);
  const floorEnv = { ...LAMBDA_LIKE_ENV, ...floor.target.env };
  const samples: number[] = [];
  const ratios: number[] = [];
  await measureLazyImportOnce(bundle.file, lazyFile, env); // warm-up, as for the cold start
  for (let run = 0; run < LAZY_RUNS; run++) {
    const ms = await measureLazyImportOnce(bundle.file, lazyFile, env);
    samples.push(ms);
    ratios.push(ms / (await measureImportOnce(floor.bundle.file, floorEnv)));
  }
  const bytes = lazyBuilt.get(lazy.file)?.bytes ?? Number.NaN;
  progress(`first use of ${lazy.file} from ${bundle.file}: median ${round(median(samples))} ms`);
  return {
    entry: lazy.entry,
    bytes,
    bytesRatio: ratio(bytes, floorBytes),
    importMs: round(median(samples)),
    importRatio: round(median(ratios), 3),
    importSamplesMs: samples.map((ms) => round(ms)),
    topPackages: bytesByPackage(lazyBuilt.get(lazy.file)?.metafile ?? { inputs: {}, outputs: {} }, 6),
  };
}
