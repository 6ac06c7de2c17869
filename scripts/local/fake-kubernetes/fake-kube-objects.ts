import type { V1Job, V1Node, V1Pod, V1Status } from '@kubernetes/client-node';

/**
 * TEST DOUBLE (local stack and tests only): object shapes and helpers of the fake Kubernetes API server.
 * The objects are the real `batch/v1` and `v1` shapes from @kubernetes/client-node, so what the fake
 * stores is what a real API server would answer.
 */

/** A node pool of the fake cluster: `count` identical nodes. */
export interface FakeNodePool {
  name: string;
  count: number;
  labels: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' }>;
  /** Allocatable resources per node, e.g. `{ 'nvidia.com/gpu': '4', cpu: '32', memory: '128Gi' }`. */
  allocatable: Record<string, string>;
}

/** An API error answered as a `Status` object, exactly as the API server does. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: V1Status['details'],
  ) {
    super(message);
  }

  toStatus(): V1Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const notFound = (kind: string, name: string, group = ''): StatusError =>
  new StatusError(404, 'NotFound', `${kind}${group ? `.${group}` : ''} "${name}" not found`, { name, kind, ...(group ? { group } : {}) });

/**
 * Equality-based label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, comma = and): the forms Quartermaster
 * sends. Set-based forms (`in`, `notin`) are refused with 400 rather than silently matching everything.
 */
export function parseLabelSelector(selector: string | null): (labels: Record<string, string> | undefined) => boolean {
  const terms = (selector ?? '')
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean)
    .map((term) => {
      if (/\s(in|notin)\s/.test(term))
        throw new StatusError(400, 'BadRequest', `unsupported label selector term "${term}" (fake API server)`);
      const inequality = /^([^=!]+)!=(.*)$/.exec(term);
      if (inequality) return { key: inequality[1]!, op: '!=' as const, value: inequality[2]! };
      const equality = /^([^=!]+)==?(.*)$/.exec(term);
      if (equality) return { key: equality[1]!, op: '=' as const, value: equality[2]! };
      if (term.startsWith('!')) return { key: term.slice(1), op: '!' as const, value: '' };
      return { key: term, op: 'exists' as const, value: '' };
    });
  return (labels) =>
    terms.every(({ key, op, value }) => {
      const actual = labels?.[key];
      if (op === '=') return actual === value;
      if (op === '!=') return actual !== value;
      if (op === '!') return actual === undefined;
      return actual !== undefined;
    });
}

/** Kubernetes quantities as the fake needs them: plain integers and the binary/decimal suffixes. */
export function parseQuantity(value: string | undefined): number {
  if (value === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (!match) throw new StatusError(422, 'Invalid', `quantities must match the regular expression (fake API server): "${value}"`);
  const scale: Record<string, number> = {
    m: 0.001,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? scale[match[2]]! : 1);
}

export function nodesOf(pools: readonly FakeNodePool[]): V1Node[] {
  return pools.flatMap((pool) =>
    Array.from({ length: pool.count }, (_, index) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `${pool.name}-${index}`,
        labels: { ...pool.labels, 'eks.amazonaws.com/nodegroup': pool.name, 'kubernetes.io/hostname': `${pool.name}-${index}` },
      },
      spec: pool.taints ? { taints: pool.taints.map((taint) => ({ ...taint })) } : {},
      status: {
        allocatable: { ...pool.allocatable },
        capacity: { ...pool.allocatable },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      },
    })),
  );
}

/** Kubernetes timestamps: RFC 3339 with nanoseconds (the fake's clock has milliseconds). */
export const rfc3339Nano = (at: Date): string => at.toISOString().replace(/Z$/, '000000Z');
export const rfc3339 = (at: Date): string => at.toISOString().replace(/\.\d+Z$/, 'Z');

export interface StoredJob {
  job: V1Job;
  /** Pods created for this job so far (retries under `backoffLimit` create more). */
  podNames: string[];
}

export interface StoredPod {
  pod: V1Pod;
  /** Log lines with their RFC 3339 nano timestamps. */
  log: Array<{ at: string; line: string }>;
  /** When the pod was created, for the fake's timed transitions. */
  createdMs: number;
  /** When the container became ready to start (image pulled), for the timed transitions. */
  scheduledMs?: number;
  processGroup?: number;
}
