import type { Cluster } from './cluster.schema';

/** Registered clusters (deployment-wide; a handful per deployment). */
export interface ClusterRepository {
  get(id: string): Promise<Cluster | undefined>;
  list(): Promise<Cluster[]>;
  /** Creates (`expectedVersion` 0) or replaces the cluster at `expectedVersion`; false when that lost a race. */
  save(cluster: Cluster, expectedVersion: number): Promise<boolean>;
}

/** What a health check of one cluster found (`GET /v1/clusters/{id}/health`, `/health` deep). */
export interface ClusterHealth {
  cluster: string;
  status: 'healthy' | 'degraded' | 'unreachable';
  /** The API server's version when it answered. */
  version?: string;
  /** Why it is not healthy; never holds credentials. */
  message?: string;
  checkedAt: string;
  /** Allocatable and requested GPUs per node pool (from Nodes and non-terminated Pods). */
  pools?: Array<{ pool: string; nodes: number; allocatableGpus: number; requestedGpus: number }>;
}

/** Talks to a cluster for health and capacity; the Kubernetes adapter implements it. */
export interface ClusterProbe {
  check(cluster: Cluster): Promise<ClusterHealth>;
}

/** A generic cluster's credentials as uploaded; the adapter parses kubeconfigs (YAML) into `ParsedKubeconfig`. */
export type ClusterCredentialsInput = { kind: 'token'; token: string } | { kind: 'kubeconfig'; kubeconfig: string };

/** Where clusters come from at submission: every registered one (a handful per deployment). */
export interface ClusterSource {
  list(): Promise<Cluster[]>;
}
