import type { JobLogReader, LogLine } from '#domain/jobs/jobs.port';
import { KUBE_LABELS } from '#domain/clusters/cluster.schema';
import { AppError } from '#domain/errors/app-error';
import type { Job } from '#domain/jobs/job.schema';
import { apiStatus, type KubeConnector } from './kube-connection';
import { KUBE_CONTAINER_NAME, labelValue, parseKubeRunRef } from './kube-job-manifest';

/** The API server streams at most this much of a log per read; older output is what `kubectl logs` shows too. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;
const TIMESTAMPED = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})) (.*)$/;

/**
 * Job output from the pod's log (`GET …/pods/{pod}/log?timestamps=true`), for the existing logs endpoint.
 * The kubelet keeps the log while the pod exists, so output is readable until the Job's
 * `ttlSecondsAfterFinished` removes it (docs/kubernetes.md). Kubernetes merges stdout and stderr; lines are
 * reported as `stdout`. The cursor is the number of lines already returned (the log API has no sub-second
 * offset to resume from); a pod that has not started yet has no lines.
 */
export class KubePodLogReader implements JobLogReader {
  constructor(private readonly connector: KubeConnector) {}

  async read(job: Job, options: { cursor?: string; limit: number }): Promise<{ lines: LogLine[]; nextCursor?: string }> {
    if (options.cursor !== undefined && !/^\d{1,9}$/.test(options.cursor)) {
      throw new AppError('validation_failed', 'Invalid cursor', {
        fields: [{ field: 'query.cursor', message: 'not a cursor this listing issued' }],
      });
    }
    const ref = job.runRef ? parseKubeRunRef(job.runRef) : undefined;
    if (!ref) return { lines: [] };
    const text = await this.connector.withConnection(ref.cluster, async ({ core }) => {
      const pods = await core.listNamespacedPod({ namespace: ref.namespace, labelSelector: `${KUBE_LABELS.job}=${labelValue(job.id)}` });
      const pod = [...pods.items].sort(
        (a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime(),
      )[0];
      if (!pod?.metadata?.name) return '';
      try {
        return await core.readNamespacedPodLog({
          name: pod.metadata.name,
          namespace: ref.namespace,
          container: KUBE_CONTAINER_NAME,
          timestamps: true,
          limitBytes: MAX_LOG_BYTES,
        });
      } catch (error) {
        // 400: the container is still waiting to start; 404: the pod went away meanwhile. Neither has output.
        const status = apiStatus(error);
        if (status === 400 || status === 404) return '';
        throw error;
      }
    });
    const all = (text ?? '').split('\n').filter((line) => line.length > 0);
    const start = options.cursor ? Number.parseInt(options.cursor, 10) : 0;
    const lines = all.slice(start, start + options.limit).map((line): LogLine => {
      const match = TIMESTAMPED.exec(line);
      return match
        ? { at: new Date(match[1]!).toISOString(), stream: 'stdout', message: match[2]! }
        : { at: '', stream: 'stdout', message: line };
    });
    const next = start + lines.length;
    return next < all.length ? { lines, nextCursor: String(next) } : { lines };
  }
}
