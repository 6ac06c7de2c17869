import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { RunObservation } from '#domain/jobs/jobs.port';

/**
 * What a Job and its pods say about a run, in the terms of the job lifecycle:
 * - `waiting`: not running yet, with the reason users see (Kueue has not admitted it, no node fits —
 *   `Unschedulable` with the scheduler's message —, the image cannot be pulled, a Secret is missing,
 *   the container is being created). Never a silent wait.
 * - `running`: the container runs.
 * - `ended`: the exit code when the container ran, the reason otherwise; `timedOut` when the Job hit
 *   `activeDeadlineSeconds` (the max runtime).
 * - `missing`: no such Job (deleted, or removed by `ttlSecondsAfterFinished`).
 */
export type KubeRunObservation = RunObservation;

/** Container waiting reasons that need a human: shown with the kubelet's message. */
const STUCK_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
]);

const MAX_MESSAGE = 1000;
const DEADLINE_REASON = 'Exceeded the max runtime (activeDeadlineSeconds)';
const clip = (text: string): string => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

const created = (pod: V1Pod): number => new Date(pod.metadata?.creationTimestamp ?? 0).getTime();

/** The newest pod (with `backoffLimit` 0 there is one; after a node loss the controller may make another). */
const latest = (pods: readonly V1Pod[]): V1Pod | undefined => [...pods].sort((a, b) => created(b) - created(a))[0];

function fromPod(pod: V1Pod): KubeRunObservation {
  const container = pod.status?.containerStatuses?.[0];
  const terminated = container?.state?.terminated;
  // The Job controller kills pods past activeDeadlineSeconds and marks them before the Job's own condition.
  if (pod.status?.reason === 'DeadlineExceeded') {
    return { status: 'ended', ...(terminated ? { exitCode: terminated.exitCode } : {}), reason: DEADLINE_REASON, timedOut: true };
  }
  if (terminated) {
    return {
      status: 'ended',
      exitCode: terminated.exitCode,
      ...(terminated.exitCode !== 0
        ? {
            reason: clip(
              `${terminated.reason ?? 'Error'}: exited with code ${terminated.exitCode}${terminated.message ? ` (${terminated.message})` : ''}`,
            ),
          }
        : {}),
    };
  }
  if (pod.status?.phase === 'Running' || container?.state?.running)
    return { status: 'running', ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}) };
  const unschedulable = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  if (unschedulable) {
    return {
      status: 'waiting',
      waiting: { code: 'backend_capacity', message: clip(`Unschedulable: ${unschedulable.message ?? 'no node fits the pod'}`) },
    };
  }
  const waiting = container?.state?.waiting;
  if (waiting?.reason && STUCK_REASONS.has(waiting.reason)) {
    return {
      status: 'waiting',
      waiting: { code: 'starting', message: clip(`${waiting.reason}: ${waiting.message ?? 'see the pod events'}`) },
    };
  }
  if (waiting?.reason)
    return {
      status: 'waiting',
      waiting: { code: 'starting', message: clip(`Pod ${waiting.reason} on ${pod.spec?.nodeName ?? 'a node'}`) },
    };
  return { status: 'waiting', waiting: { code: 'starting', message: 'Pod created; waiting for the scheduler' } };
}

export function observeRun(job: V1Job | undefined, pods: readonly V1Pod[]): KubeRunObservation {
  if (!job) return { status: 'missing' };
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  const pod = latest(pods);
  if (failed) {
    const fromContainer = pod ? fromPod(pod) : undefined;
    const exitCode = fromContainer?.status === 'ended' ? fromContainer.exitCode : undefined;
    const timedOut = failed.reason === 'DeadlineExceeded';
    return {
      status: 'ended',
      ...(exitCode !== undefined ? { exitCode } : {}),
      reason: timedOut
        ? DEADLINE_REASON
        : ((fromContainer?.status === 'ended' ? fromContainer.reason : undefined) ??
          clip(`${failed.reason ?? 'Failed'}: ${failed.message ?? ''}`.trim())),
      ...(timedOut ? { timedOut } : {}),
    };
  }
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { status: 'ended', exitCode: 0 };
  if (job.spec?.suspend) {
    const queue = job.metadata?.labels?.['kueue.x-k8s.io/queue-name'];
    const message = queue ? `Waiting for Kueue to admit the Job from LocalQueue "${queue}"` : 'The Job is suspended in the cluster';
    return { status: 'waiting', waiting: { code: 'backend_capacity', message } };
  }
  if (!pod) return { status: 'waiting', waiting: { code: 'starting', message: 'Job created; waiting for its pod' } };
  return fromPod(pod);
}
