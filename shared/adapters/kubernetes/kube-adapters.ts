import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import type { Clock } from '#domain/runtime/runtime.port';
import { KubeClusterProbe } from './kube-cluster-probe.client';
import { createKubeConnector, type KubeEdges } from './kube-connector-factory';
import type { ClusterLookup } from './kube-connection';
import { parseKubeconfigYaml } from './kube-credentials';
import { KubePodLogReader } from './kube-pod-log.client';
import { KubernetesJobBackend } from './kubernetes-job-backend.client';

/** Everything a function needs to talk to registered clusters, over one connector (one connection per cluster). */
export interface KubeAdapters {
  backend: KubernetesJobBackend;
  logs: KubePodLogReader;
  probe: KubeClusterProbe;
}

/**
 * What a deployed function gives when Secrets Manager serves it only for cluster credentials (the dispatcher,
 * job output, deep health): the client is then built here, inside the lazily loaded file, and its credentials
 * (the function role's) also sign EKS tokens, so `index.mjs` carries no Secrets Manager client for Kubernetes.
 */
export interface DeployedKubeEdges {
  secretsManager: { namePrefix: string };
}

function edgesOf(edges: KubeEdges | DeployedKubeEdges): KubeEdges {
  if (!('secretsManager' in edges)) return edges;
  const client = new SecretsManagerClient(boundedAwsClientConfig());
  // ttlMs 0: read at each new connection, so a rotated credential applies on the next 401.
  const secrets = new SecretsManagerStore(client, { namePrefix: edges.secretsManager.namePrefix, ttlMs: 0 });
  return { secrets, awsCredentials: () => client.config.credentials() };
}

/**
 * The entry point of the Kubernetes adapters. Functions that exist only to talk to clusters (kube-poller)
 * import it statically; the others reach it through kube-lazy.ts, and in their Lambda asset it is a file of
 * its own, `kube-adapters.mjs` beside `index.mjs` (lib/constructs/bundling-options.ts). It then carries its own
 * copy of every module it imports: keep its inputs to ports (`clusters`, `edges`) built by the caller, so it
 * holds no DynamoDB client of its own.
 */
export function createKubeAdapters(
  clusters: ClusterLookup,
  edges: KubeEdges | DeployedKubeEdges,
  options: { localStack: boolean; clock: Clock },
): KubeAdapters {
  const connector = createKubeConnector(clusters, edgesOf(edges), options.localStack);
  return {
    backend: new KubernetesJobBackend(connector),
    logs: new KubePodLogReader(connector),
    probe: new KubeClusterProbe(connector, options.clock),
  };
}

/** Uploaded kubeconfigs (YAML, through the client's js-yaml) for the clusters API's credential route. */
export { parseKubeconfigYaml };
