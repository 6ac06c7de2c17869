import type { V1EnvVar, V1Job } from '@kubernetes/client-node';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { HardwareRequirements } from '#domain/jobs/jobs.port';
import { KUBE_LABELS, type Cluster, type Placement } from '#domain/clusters/cluster.schema';
import type { Job } from '#domain/jobs/job.schema';

export const KUBE_CONTAINER_NAME = 'job';
/** The exact job id (labels may have to be made label-safe; annotations hold any string). */
export const JOB_ID_ANNOTATION = 'quartermaster.dev/job-id';

/**
 * The Kubernetes Job name of a Quartermaster job: `qm-` + the lower-cased job id (a ULID, 26 characters).
 * Deterministic, so a repeated dispatch creates the same name and the API server's 409 proves the first
 * launch happened; it also fits the 63-character limit of the `job-name` label the Job controller adds.
 */
export function kubeJobName(jobId: string): string {
  const name = `qm-${jobId.toLowerCase()}`;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    throw new BackendLaunchError('kubernetes', 'Job id cannot be used as a Kubernetes Job name');
  }
  return name;
}

/** `k8s:<cluster>/<namespace>/<job name>`: everything status, logs and cancel need, with no lookup. */
export const kubeRunRef = (placement: Placement, jobId: string): string =>
  `k8s:${placement.cluster}/${placement.namespace}/${kubeJobName(jobId)}`;

export function parseKubeRunRef(runRef: string): (Placement & { name: string }) | undefined {
  const match = /^k8s:([a-z0-9-]+)\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(runRef);
  return match ? { cluster: match[1]!, namespace: match[2]!, name: match[3]! } : undefined;
}

/**
 * Label values allow 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. Ids that do not fit
 * (e.g. a user id with `@`) are made to fit; the exact values travel in annotations as well.
 */
export function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * `secretRef` on Kubernetes names a Secret in the job's namespace that the cluster admin manages, as
 * `<secret name>/<key>`. The value never enters the Job spec: the kubelet resolves the `secretKeyRef`.
 */
const SECRET_REF = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)\/([-._a-zA-Z0-9]{1,253})$/;

function envOf(job: Job): V1EnvVar[] {
  return [
    { name: 'QM_JOB_ID', value: job.id },
    ...job.spec.env.map((entry): V1EnvVar => {
      if ('value' in entry) return { name: entry.name, value: entry.value };
      const ref = SECRET_REF.exec(entry.secretRef);
      if (!ref) {
        throw new BackendLaunchError(
          'kubernetes',
          `Env ${entry.name}: secretRef must name a Kubernetes Secret of the namespace as <secret>/<key> on this backend`,
        );
      }
      return { name: entry.name, valueFrom: { secretKeyRef: { name: ref[1]!, key: ref[3]! } } };
    }),
  ];
}

/**
 * The `batch/v1` Job for a job on a cluster (docs/architecture.md, docs/architecture.md#gpu-fleets-ecs): no retries (`backoffLimit` 0; Quartermaster
 * owns retries), the max runtime as `activeDeadlineSeconds`, the GPU count as a limit of the cluster's GPU
 * resource, the node selector and tolerations the cluster declares for the hardware type, our labels on the
 * Job and its pods (selected by the status poller), and — when the cluster runs Kueue — the LocalQueue
 * label with `suspend: true`, so Kueue admits the Job in-cluster after our admission. CPU and memory are not
 * requested: the node pool of the hardware type is sized for it, and a request equal to the instance size
 * would never fit next to the kubelet's reservations.
 */
export function buildKubeJob(job: Job, hardware: HardwareRequirements, cluster: Cluster, placement: Placement): V1Job {
  const placementRules = cluster.hardware[hardware.hardwareType];
  if (!placementRules) {
    throw new BackendLaunchError('kubernetes', `Cluster ${cluster.id} offers no hardware type ${hardware.hardwareType}`);
  }
  const labels: Record<string, string> = {
    [KUBE_LABELS.managed]: 'true',
    [KUBE_LABELS.job]: labelValue(job.id),
    [KUBE_LABELS.org]: labelValue(job.orgId),
    [KUBE_LABELS.user]: labelValue(job.ownerId),
    ...(job.teamId ? { [KUBE_LABELS.team]: labelValue(job.teamId) } : {}),
  };
  const annotations = { [JOB_ID_ANNOTATION]: job.id, 'quartermaster.dev/org': job.orgId, 'quartermaster.dev/user': job.ownerId };
  const limits = hardware.gpuCount > 0 ? { [cluster.gpuResource]: String(hardware.gpuCount) } : undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: kubeJobName(job.id),
      namespace: placement.namespace,
      labels: { ...labels, ...(cluster.kueueQueue ? { [KUBE_LABELS.kueueQueue]: cluster.kueueQueue } : {}) },
      annotations,
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: job.spec.maxRuntimeMinutes * 60,
      ttlSecondsAfterFinished: cluster.ttlSecondsAfterFinished,
      ...(cluster.kueueQueue ? { suspend: true } : {}),
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(Object.keys(placementRules.nodeSelector).length > 0 ? { nodeSelector: { ...placementRules.nodeSelector } } : {}),
          ...(placementRules.tolerations.length > 0 ? { tolerations: placementRules.tolerations.map((t) => ({ ...t })) } : {}),
          containers: [
            {
              name: KUBE_CONTAINER_NAME,
              image: job.spec.image,
              // Kubernetes `command` replaces the image's ENTRYPOINT and `args` its CMD, as the job spec means.
              command: [...job.spec.command],
              ...(job.spec.args.length > 0 ? { args: [...job.spec.args] } : {}),
              env: envOf(job),
              ...(limits ? { resources: { limits } } : {}),
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}
