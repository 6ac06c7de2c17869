import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { HardwareRequirements, JobBackend, LaunchResult, NamespaceRunObserver } from '#domain/jobs/jobs.port';
import { KUBE_LABELS, type Placement } from '#domain/clusters/cluster.schema';
import type { Job } from '#domain/jobs/job.schema';
import { apiMessage, apiStatus, type KubeConnection, type KubeConnector } from './kube-connection';
import { buildKubeJob, JOB_ID_ANNOTATION, kubeJobName, kubeRunRef, labelValue, parseKubeRunRef } from './kube-job-manifest';
import { observeRun, type KubeRunObservation } from './kube-run-status';

/** Status answers that retrying the same request cannot fix: the job fails with the server's message. */
const PERMANENT = new Set([400, 403, 404, 422]);

const placementOf = (job: Job): Placement => {
  if (!job.placement) throw new BackendLaunchError('kubernetes', 'The job has no cluster and namespace');
  return job.placement;
};

/**
 * Runs jobs as `batch/v1` Jobs on registered clusters (docs/architecture.md, docs/architecture.md#gpu-fleets-ecs, docs/scheduling.md).
 *
 * Idempotent launch: the Job name is derived from the job id, so a repeated dispatch sends the same create
 * and the API server answers 409 AlreadyExists: that is "already launched" (the first run), never an error
 * and never a second Job. A 401 is retried once with fresh credentials (a rotation); 401/403/404/422 (credentials, RBAC, a missing namespace, an invalid spec) fail the
 * job with the API server's message; 429, 5xx and transport errors propagate so SQS redelivers.
 */
export class KubernetesJobBackend implements JobBackend, NamespaceRunObserver {
  readonly kind = 'kubernetes' as const;

  constructor(private readonly connector: KubeConnector) {}

  /** Runs a launch step; a 401 that persists after fresh credentials (see KubeConnector) fails the job. */
  private async on<T>(clusterId: string, call: (connection: KubeConnection) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      result = await this.connector.withConnection(clusterId, call);
    } catch (error) {
      if (apiStatus(error) !== 401) throw error;
      throw new BackendLaunchError(
        'kubernetes',
        `Cluster ${clusterId} refused Quartermaster's credentials (401): rotate them`,
        'Unauthorized',
        { cause: error },
      );
    }
    if (result === undefined) throw new BackendLaunchError('kubernetes', `Cluster ${clusterId} is not registered`);
    return result;
  }

  async launch(job: Job, hardware: HardwareRequirements): Promise<LaunchResult> {
    if (job.runRef) return { runRef: job.runRef, alreadyLaunched: true };
    const placement = placementOf(job);
    const runRef = kubeRunRef(placement, job.id);
    return this.on(placement.cluster, async ({ cluster, batch }) => {
      if (!cluster.enabled) throw new BackendLaunchError('kubernetes', `Cluster ${cluster.id} is disabled`);
      const body = buildKubeJob(job, hardware, cluster, placement);
      try {
        await batch.createNamespacedJob({ namespace: placement.namespace, body });
        return { runRef, alreadyLaunched: false };
      } catch (error) {
        const status = apiStatus(error);
        if (status === 409) return { runRef, alreadyLaunched: true };
        if (status !== undefined && PERMANENT.has(status)) {
          throw new BackendLaunchError('kubernetes', `Cluster ${cluster.id} rejected the Job: ${apiMessage(error)}`, `HTTP ${status}`, {
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  /** Deletes the Job with background propagation (its pods go too); a Job that is gone is not an error. */
  async stop(job: Job, _reason: string): Promise<void> {
    const ref = job.runRef ? parseKubeRunRef(job.runRef) : job.placement ? { ...job.placement, name: kubeJobName(job.id) } : undefined;
    if (!ref) return;
    await this.connector.withConnection(ref.cluster, async ({ batch }) => {
      try {
        await batch.deleteNamespacedJob({ name: ref.name, namespace: ref.namespace, propagationPolicy: 'Background' });
      } catch (error) {
        if (apiStatus(error) !== 404) throw error;
      }
      return true;
    });
  }

  /** The run's current status, on demand (one Job GET and one pod list). */
  async observe(job: Job): Promise<KubeRunObservation> {
    const ref = job.runRef ? parseKubeRunRef(job.runRef) : undefined;
    if (!ref) return { status: 'missing' };
    const found = await this.connector.withConnection(ref.cluster, async ({ batch, core }) => {
      let kubeJob: V1Job | undefined;
      try {
        kubeJob = await batch.readNamespacedJob({ name: ref.name, namespace: ref.namespace });
      } catch (error) {
        if (apiStatus(error) !== 404) throw error;
      }
      const pods = kubeJob
        ? (await core.listNamespacedPod({ namespace: ref.namespace, labelSelector: `${KUBE_LABELS.job}=${labelValue(job.id)}` })).items
        : [];
      return { observation: observeRun(kubeJob, pods) };
    });
    return found?.observation ?? { status: 'missing' };
  }

  /**
   * Everything Quartermaster runs in one namespace of one cluster, from two list calls by label (Jobs and
   * pods), however many jobs there are: the poller's unit of work. Keyed by the job id (the Job's annotation).
   */
  async observeNamespace(clusterId: string, namespace: string): Promise<Map<string, KubeRunObservation> | undefined> {
    return this.connector.withConnection(clusterId, async ({ batch, core }) => {
      const selector = `${KUBE_LABELS.managed}=true`;
      const [jobs, pods] = await Promise.all([
        batch.listNamespacedJob({ namespace, labelSelector: selector }),
        core.listNamespacedPod({ namespace, labelSelector: selector }),
      ]);
      const podsByJob = new Map<string, V1Pod[]>();
      for (const pod of pods.items) {
        const owner = pod.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? pod.metadata?.labels?.['job-name'];
        if (owner) podsByJob.set(owner, [...(podsByJob.get(owner) ?? []), pod]);
      }
      const observed = new Map<string, KubeRunObservation>();
      for (const kubeJob of jobs.items) {
        const jobId = kubeJob.metadata?.annotations?.[JOB_ID_ANNOTATION];
        if (jobId) observed.set(jobId, observeRun(kubeJob, podsByJob.get(kubeJob.metadata!.name!) ?? []));
      }
      return observed;
    });
  }
}
