import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { JobBackend, JobLogReader } from '#domain/jobs/jobs.port';
import type { Clock } from '#domain/runtime/runtime.port';
import type { KubeAdapters } from './kube-adapters';
import type { KubeEdges } from './kube-connector-factory';

/**
 * The Kubernetes adapters, loaded on first use: functions that serve every backend (the dispatcher, job
 * output) import @kubernetes/client-node only when a Kubernetes job needs it, so ECS work does not pay its
 * module initialisation at cold start (docs/budgets.md). Nothing here imports the client statically.
 */
export function lazyKubeAdapters(
  doc: DynamoDBDocumentClient,
  tableName: string,
  edges: KubeEdges,
  options: { localStack: boolean; clock: Clock },
): () => Promise<KubeAdapters> {
  let loading: Promise<KubeAdapters> | undefined;
  return () => {
    loading ??= import('./kube-adapters').then(({ createKubeAdapters }) => createKubeAdapters(doc, tableName, edges, options));
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

/** The Kubernetes backend behind the backend port, loaded on its first launch or stop. */
export const lazyKubeBackend = (adapters: () => Promise<KubeAdapters>): JobBackend => ({
  kind: 'kubernetes',
  launch: async (job, hardware) => (await adapters()).backend.launch(job, hardware),
  stop: async (job, reason) => (await adapters()).backend.stop(job, reason),
});

/** Pod logs behind the job-output port, loaded on the first Kubernetes job's read. */
export const lazyKubeLogs = (adapters: () => Promise<KubeAdapters>): JobLogReader => ({
  read: async (job, options) => (await adapters()).logs.read(job, options),
});
