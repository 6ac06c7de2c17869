import type { ClusterProbe } from '#domain/clusters/clusters.port';
import { AppError, type ErrorCode } from '#domain/errors/app-error';
import { BackendCapacityError, BackendError, BackendLaunchError } from '#domain/jobs/backend-errors';
import type { BackendKind } from '#domain/jobs/job.schema';
import type { JobBackend, JobLogReader } from '#domain/jobs/jobs.port';
import type { Clock } from '#domain/runtime/runtime.port';
import type * as KubeAdaptersModule from './kube-adapters';
import type { DeployedKubeEdges, KubeAdapters } from './kube-adapters';
import type { KubeEdges } from './kube-connector-factory';
import type { ClusterLookup } from './kube-connection';

/**
 * Set only when esbuild builds a Lambda bundle (`define` in lib/constructs/bundling-options.ts) to
 * `"./kube-adapters.mjs"`: the Kubernetes adapters' own file beside `index.mjs` in the function's asset, which
 * esbuild leaves external, so @kubernetes/client-node and undici are not in `index.mjs` at all. esbuild folds
 * the test below and drops the other branch. Under tsx, vitest and the local stack nothing defines it and the
 * TypeScript source is imported. Why: docs/architecture.md, "The Kubernetes client loads on first use".
 */
declare const QM_KUBE_ADAPTERS_FILE: string | undefined;

export const importKubeAdapters = (): Promise<typeof KubeAdaptersModule> =>
  typeof QM_KUBE_ADAPTERS_FILE === 'string'
    ? (import(QM_KUBE_ADAPTERS_FILE) as Promise<typeof KubeAdaptersModule>)
    : import('./kube-adapters');

/**
 * The Kubernetes adapters, loaded on first use: functions that do more than talk to clusters (the dispatcher,
 * job output, the clusters API, deep health) load the client only when a request needs a cluster, so their
 * other work does not pay its module initialisation at cold start (docs/budgets.md). Nothing here imports the
 * client statically. A failed load is retried on the next use.
 */
export function lazyKubeAdapters(
  clusters: ClusterLookup,
  edges: KubeEdges | DeployedKubeEdges,
  options: { localStack: boolean; clock: Clock },
): () => Promise<KubeAdapters> {
  let loading: Promise<KubeAdapters> | undefined;
  return () => {
    loading ??= importKubeAdapters().then(({ createKubeAdapters }) => createKubeAdapters(clusters, edges, options));
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

/**
 * In a Lambda asset the Kubernetes file bundles its own copy of the domain error classes, and `instanceof` in
 * `index.mjs` (the dispatcher's launch verdict, the HTTP error mapping) does not recognise another copy's
 * instances: a refused launch would be retried as if transient, a bad cursor would answer 500. So the errors the
 * adapters throw by design are re-created from this copy's classes as they cross back; with one copy (tsx,
 * vitest, kube-poller) they pass unchanged.
 */
export function sameCopyError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof BackendError || error instanceof AppError) return error;
  const own = error as Error & { backend?: BackendKind; backendReason?: string; code?: ErrorCode; details?: AppError['details'] };
  switch (error.name) {
    case 'BackendLaunchError':
      return new BackendLaunchError(own.backend ?? 'kubernetes', error.message, own.backendReason, { cause: error });
    case 'BackendCapacityError':
      return new BackendCapacityError(own.backend ?? 'kubernetes', error.message, own.backendReason, { cause: error });
    case 'AppError':
      return own.code ? new AppError(own.code, error.message, own.details) : error;
    default:
      return error;
  }
}

/** Runs `call` on the loaded adapters, translating what it throws (see {@link sameCopyError}). */
async function onAdapters<T>(adapters: () => Promise<KubeAdapters>, call: (loaded: KubeAdapters) => Promise<T>): Promise<T> {
  const loaded = await adapters();
  try {
    return await call(loaded);
  } catch (error) {
    throw sameCopyError(error);
  }
}

/** The Kubernetes backend behind the backend port, loaded on its first launch or stop. */
export const lazyKubeBackend = (adapters: () => Promise<KubeAdapters>): JobBackend => ({
  kind: 'kubernetes',
  launch: (job, hardware) => onAdapters(adapters, ({ backend }) => backend.launch(job, hardware)),
  stop: (job, reason) => onAdapters(adapters, ({ backend }) => backend.stop(job, reason)),
});

/** Pod logs behind the job-output port, loaded on the first Kubernetes job's read. */
export const lazyKubeLogs = (adapters: () => Promise<KubeAdapters>): JobLogReader => ({
  read: (job, options) => onAdapters(adapters, ({ logs }) => logs.read(job, options)),
});

/** Cluster health and capacity, loaded on the first check (deep health with no cluster never loads it). */
export const lazyKubeProbe = (adapters: () => Promise<KubeAdapters>): ClusterProbe => ({
  check: (cluster) => onAdapters(adapters, ({ probe }) => probe.check(cluster)),
});
