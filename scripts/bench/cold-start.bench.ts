import { rm } from 'node:fs/promises';
import { join } from 'node:path';
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
import { INIT_METHOD, measurePairedImports, type PairedSamples } from './init-time';
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
  for (const target of [floorTarget(), ...targets, ...references]) {
    const bundle = await bundleFunction(REPO_ROOT, target.entry, join(outRoot, target.name));
    progress(`bundled ${target.name}: ${bundle.bytes} bytes`);
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
      // Only for functions over budget: which inputs and packages fill the bundle (esbuild metafile).
      ...(withinBudget ? {} : { topInputs: topInputs(bundle.metafile), topPackages: bytesByPackage(bundle.metafile) }),
    };
  }

  return {
    method: {
      bundler: 'esbuild with ESBUILD_OPTIONS from lib/constructs/bundling-options.ts (as QmFunction/CDK), outfile index.mjs',
      init: INIT_METHOD,
      runs: INIT_RUNS,
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
                      'What the functions that talk to Kubernetes clusters (api-clusters, api-health-deep, kube-poller; dispatcher and api-logs load it lazily) ' +
                      'cannot do without, and nothing of Quartermaster: DynamoDB, Secrets Manager, @kubernetes/client-node (with undici). Not a Quartermaster function; not in the budget verdict.',
                    bundleBytes: kubernetesBuilt.bundle.bytes,
                    bundleRatio: ratio(kubernetesBuilt.bundle.bytes, floorBytes),
                    initMs: round(initOf(kubernetes.name)),
                    initRatio: pairedRatioOf(kubernetes.name),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
