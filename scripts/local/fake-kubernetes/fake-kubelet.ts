import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { V1Container, V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { parseQuantity, rfc3339Nano, type StoredPod } from './fake-kube-objects';

/**
 * TEST DOUBLE (local stack and tests only): the scheduler and kubelet of the fake Kubernetes API server.
 *
 * Scheduling follows the real rules the backend relies on: the node selector must match, every
 * NoSchedule/NoExecute taint must be tolerated, and the node must have the requested extended resources
 * (GPUs), cpu and memory left. A pod that fits nowhere gets `PodScheduled=False, reason Unschedulable` with
 * the scheduler's kind of message. A scheduled container runs its `command` + `args` as a subprocess on
 * this machine (the image is not pulled), so logs, exit codes and durations are real. Images whose
 * reference contains `does-not-exist` fail to pull (`ErrImagePull`, then `ImagePullBackOff`).
 */

export const FAILING_IMAGE_MARKER = 'does-not-exist';

const requestsOf = (container: V1Container): Record<string, number> => {
  const merged = { ...(container.resources?.limits ?? {}), ...(container.resources?.requests ?? {}) };
  return Object.fromEntries(Object.entries(merged).map(([name, quantity]) => [name, parseQuantity(String(quantity))]));
};

/** Resources requested by the pod's containers, summed. */
export function podRequests(pod: V1Pod): Record<string, number> {
  const total: Record<string, number> = {};
  for (const container of pod.spec?.containers ?? []) {
    for (const [name, amount] of Object.entries(requestsOf(container))) total[name] = (total[name] ?? 0) + amount;
  }
  return total;
}

const tolerates = (tolerations: readonly V1Toleration[], taint: V1Taint): boolean =>
  tolerations.some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
  });

/**
 * The node the pod fits on, or the scheduler's explanation ("0/3 nodes are available: …") when none.
 * `used` gives what the non-terminated pods already placed on each node request.
 */
export function schedule(
  pod: V1Pod,
  nodes: readonly V1Node[],
  used: (nodeName: string) => Record<string, number>,
): { node: string } | { message: string } {
  const reasons = new Map<string, number>();
  const count = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const wanted = podRequests(pod);
  for (const node of nodes) {
    const selector = pod.spec?.nodeSelector ?? {};
    if (Object.entries(selector).some(([key, value]) => node.metadata?.labels?.[key] !== value)) {
      count("node(s) didn't match Pod's node affinity/selector");
      continue;
    }
    const blocking = (node.spec?.taints ?? []).filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute');
    const untolerated = blocking.find((taint) => !tolerates(pod.spec?.tolerations ?? [], taint));
    if (untolerated) {
      count(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);
      continue;
    }
    const taken = used(node.metadata!.name!);
    const allocatable = node.status?.allocatable ?? {};
    const short = Object.entries(wanted).find(([name, amount]) => amount > parseQuantity(allocatable[name] ?? '0') - (taken[name] ?? 0));
    if (short) {
      count(`Insufficient ${short[0]}`);
      continue;
    }
    return { node: node.metadata!.name! };
  }
  const detail = [...reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return { message: `0/${nodes.length} nodes are available: ${detail}. preemption: not eligible (fake API server).` };
}

/**
 * Starts the pod's single container as a subprocess in its own process group. Output lines are appended to
 * the pod's log with timestamps; `onExit` receives the exit code (128 + signal number for a signal).
 */
export function runContainer(stored: StoredPod, env: Record<string, string>, onExit: (exitCode: number) => void): void {
  const container = stored.pod.spec!.containers[0]!;
  const [program, ...rest] = [...(container.command ?? []), ...(container.args ?? [])];
  const child = spawn(program ?? 'true', rest, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) stored.processGroup = child.pid;
  const closed: Promise<void>[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => stored.log.push({ at: rfc3339Nano(new Date()), line }));
    closed.push(new Promise((resolve) => lines.on('close', resolve)));
  }
  let failedToStart = false;
  child.on('error', (error) => {
    failedToStart = true;
    stored.log.push({ at: rfc3339Nano(new Date()), line: `exec failed: ${error.message}` });
  });
  child.on('close', (code, signal) => {
    void Promise.all(closed).then(() => {
      stored.processGroup = undefined;
      const signalNumber = signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 0;
      onExit(failedToStart ? 128 : (code ?? 128 + signalNumber));
    });
  });
}

/** Ends the container's process group (deadline, deletion). Ending a process that is gone is not an error. */
export function killContainer(stored: StoredPod): void {
  if (stored.processGroup === undefined) return;
  try {
    process.kill(-stored.processGroup, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * The kubelet's part after scheduling: after the image "pull" delay, either fail the pull (images marked
 * `does-not-exist`), report a missing Secret (`CreateContainerConfigError`), or start the container.
 */
export function startContainer(
  stored: StoredPod,
  now: number,
  options: { pullMs: number; secret: (name: string, key: string) => string | undefined; onExit: (exitCode: number) => void },
): void {
  const { pod } = stored;
  const status = pod.status!;
  const container = pod.spec!.containers[0]!;
  const state = status.containerStatuses![0]!;
  if (state.state?.waiting?.reason !== 'ContainerCreating' && state.state?.waiting?.reason !== 'ErrImagePull') return;
  if (now - stored.scheduledMs! < options.pullMs) return;
  if (container.image?.includes(FAILING_IMAGE_MARKER)) {
    const pulled = state.state.waiting.reason === 'ErrImagePull';
    const message = `rpc error: code = NotFound desc = failed to pull and unpack image "${container.image}": not found`;
    state.state = {
      waiting: {
        reason: pulled ? 'ImagePullBackOff' : 'ErrImagePull',
        message: pulled ? `Back-off pulling image "${container.image}"` : message,
      },
    };
    return;
  }
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (!ref) {
      env[entry.name] = entry.value ?? '';
      continue;
    }
    const value = ref.name ? options.secret(ref.name, ref.key) : undefined;
    if (value === undefined) {
      state.state = { waiting: { reason: 'CreateContainerConfigError', message: `secret "${ref.name}" not found` } };
      return;
    }
    env[entry.name] = value;
  }
  status.phase = 'Running';
  status.startTime = new Date();
  state.state = { running: { startedAt: new Date() } };
  state.ready = true;
  runContainer(stored, env, options.onExit);
}
