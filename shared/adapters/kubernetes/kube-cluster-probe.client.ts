import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterHealth, ClusterProbe } from '#domain/clusters/clusters.port';
import type { Cluster } from '#domain/clusters/cluster.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { apiMessage, apiStatus, ClusterAddressRefused, type KubeConnector } from './kube-connection';

/** Node labels that name a node pool, in order of preference (EKS, Karpenter, GKE, AKS, then instance type). */
const POOL_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'karpenter.sh/nodepool',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/agentpool',
  'node.kubernetes.io/instance-type',
];

const poolOf = (node: V1Node): string => {
  const labels = node.metadata?.labels ?? {};
  for (const label of POOL_LABELS) if (labels[label]) return labels[label];
  return 'default';
};

const quantity = (value: string | undefined): number => (value && /^\d+$/.test(value) ? Number(value) : 0);

/** GPUs requested by a pod that holds them (scheduled and not finished). */
function gpusOf(pod: V1Pod, resource: string): number {
  if (!pod.spec?.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
  return (pod.spec.containers ?? []).reduce(
    (sum, c) => sum + quantity(c.resources?.limits?.[resource] ?? c.resources?.requests?.[resource]),
    0,
  );
}

/** Allocatable and requested GPUs per node pool, from Nodes and Pods (what the capacity view shows). */
export function capacityByPool(nodes: readonly V1Node[], pods: readonly V1Pod[], resource: string): NonNullable<ClusterHealth['pools']> {
  const poolByNode = new Map(nodes.map((node) => [node.metadata?.name ?? '', poolOf(node)]));
  const pools = new Map<string, { pool: string; nodes: number; allocatableGpus: number; requestedGpus: number }>();
  const entry = (pool: string) => pools.get(pool) ?? pools.set(pool, { pool, nodes: 0, allocatableGpus: 0, requestedGpus: 0 }).get(pool)!;
  for (const node of nodes) {
    const pool = entry(poolOf(node));
    pool.nodes += 1;
    pool.allocatableGpus += quantity(node.status?.allocatable?.[resource]);
  }
  for (const pod of pods) {
    const pool = poolByNode.get(pod.spec?.nodeName ?? '');
    if (pool !== undefined) entry(pool).requestedGpus += gpusOf(pod, resource);
  }
  return [...pools.values()].sort((a, b) => a.pool.localeCompare(b.pool));
}

/**
 * Health and capacity of a cluster: `/version` answers → reachable; Nodes and Pods readable → healthy, with
 * GPUs per pool. A refused credential or a missing read grant is `degraded` (jobs may still fail to launch);
 * no answer at all (network, TLS, DNS) is `unreachable`. Messages never carry credentials.
 */
export class KubeClusterProbe implements ClusterProbe {
  constructor(
    private readonly connector: KubeConnector,
    private readonly clock: Clock,
  ) {}

  async check(cluster: Cluster): Promise<ClusterHealth> {
    const checkedAt = this.clock.now().toISOString();
    const base = { cluster: cluster.id, checkedAt };
    let connection;
    try {
      connection = await this.connector.connect(cluster.id);
    } catch (error) {
      // A refused address (DNS rebinding) or a name that does not resolve: nothing to talk to.
      if (error instanceof ClusterAddressRefused || (error as { code?: unknown }).code === 'ENOTFOUND') {
        return { ...base, status: 'unreachable', message: error instanceof Error ? error.message : 'endpoint not resolvable' };
      }
      return { ...base, status: 'degraded', message: error instanceof Error ? error.message : 'credentials unavailable' };
    }
    if (!connection) return { ...base, status: 'unreachable', message: 'not registered' };
    let version: string | undefined;
    try {
      version = (await connection.version.getCode()).gitVersion;
    } catch (error) {
      const status = apiStatus(error);
      if (status === undefined) return { ...base, status: 'unreachable', message: `API server did not answer: ${apiMessage(error)}` };
      // /version is readable without RBAC on most clusters; an error status still proves it answers.
      if (status === 401) this.connector.invalidate(cluster.id);
      return { ...base, status: 'degraded', message: `API server answered ${status}: ${apiMessage(error)}` };
    }
    try {
      const [nodes, pods] = await Promise.all([connection.core.listNode(), connection.core.listPodForAllNamespaces()]);
      const pools = capacityByPool(nodes.items, pods.items, cluster.gpuResource);
      return {
        ...base,
        status: cluster.enabled ? 'healthy' : 'degraded',
        version,
        pools,
        ...(cluster.enabled ? {} : { message: 'disabled' }),
      };
    } catch (error) {
      const status = apiStatus(error);
      if (status === 401) this.connector.invalidate(cluster.id);
      return {
        ...base,
        status: 'degraded',
        version,
        message: `cannot read nodes and pods (${status ?? 'no answer'}): ${apiMessage(error)}`,
      };
    }
  }
}
