import { loadYaml } from '@kubernetes/client-node/dist/yaml.js'; // not the root: see kube-connection.ts
import type { Cluster } from '#domain/clusters/cluster.schema';
import type { StoredClusterCredential } from '#domain/clusters/kubeconfig-policy';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { KubeCredentialSource, KubeUserCredentials } from './kube-connection';

/** Kubeconfigs are small; anything bigger is not one (and YAML parsing cost grows with size). */
const MAX_KUBECONFIG_CHARS = 64 * 1024;

/**
 * Parses an uploaded kubeconfig as plain YAML data (js-yaml's safe schema through @kubernetes/client-node),
 * without loading it as a KubeConfig: the client's loader reads `token-file` and other file references at
 * load time, before `acceptKubeconfig` could refuse them.
 */
export function parseKubeconfigYaml(text: string): unknown {
  if (text.length > MAX_KUBECONFIG_CHARS) throw new Error('kubeconfig too large');
  return loadYaml<unknown>(text);
}

/** A stored credential (JSON written by `setClusterCredentials`) as client credentials. */
export function toUserCredentials(stored: StoredClusterCredential): KubeUserCredentials {
  return stored.kind === 'token' ? { token: stored.token } : { clientCertificatePem: stored.certificatePem, clientKeyPem: stored.keyPem };
}

/**
 * Credentials of generic clusters from the secret store (Secrets Manager deployed, env-file store locally);
 * EKS clusters are delegated to `eks` (IAM tokens), when the deployment offers it.
 */
export class SecretStoreKubeCredentials implements KubeCredentialSource {
  constructor(
    private readonly secrets: SecretStore,
    private readonly eks?: KubeCredentialSource,
  ) {}

  async credentialsFor(cluster: Cluster): Promise<KubeUserCredentials> {
    if (cluster.kind === 'eks') {
      if (!this.eks) throw new Error(`EKS authentication is not configured for cluster ${cluster.id}`);
      return this.eks.credentialsFor(cluster);
    }
    if (!cluster.credentialsRef) throw new MissingClusterCredentials(cluster.id);
    return toUserCredentials(JSON.parse(await this.secrets.get(cluster.credentialsRef)) as StoredClusterCredential);
  }
}

export class MissingClusterCredentials extends Error {
  override readonly name = 'MissingClusterCredentials';
  constructor(clusterId: string) {
    super(`Cluster ${clusterId} has no credentials yet (POST /v1/clusters/${clusterId}/credentials)`);
  }
}
