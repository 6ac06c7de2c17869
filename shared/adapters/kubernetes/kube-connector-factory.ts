import type { SecretStore } from '#domain/secrets/secrets.port';
import { EksTokenSource, type AwsCredentialsProvider } from './eks-token';
import { KubeConnector, type ClusterLookup } from './kube-connection';
import { SecretStoreKubeCredentials } from './kube-credentials';

export interface KubeEdges {
  /** Generic clusters' credentials (Secrets Manager deployed; the local file store locally). */
  secrets: SecretStore;
  /**
   * The function role's credentials (the SDK's default provider chain) for EKS tokens; absent locally, where
   * no EKS cluster is reachable (an `eks` cluster then reports that EKS authentication is not configured).
   */
  awsCredentials?: AwsCredentialsProvider | undefined;
}

/**
 * The one way every function that talks to clusters builds its connector (dispatcher, status poller, job
 * output, clusters API, deep health): registrations from `clusters` (the table's cluster repository, built by
 * the caller so this module needs no DynamoDB client: see kube-lazy.ts), credentials from the secret store or
 * an EKS token, loopback endpoints only in the local stack. Deployed connections live 5 minutes (each new one
 * re-resolves and re-checks the endpoint's addresses); the local stack reconnects every call.
 */
export function createKubeConnector(clusters: ClusterLookup, edges: KubeEdges, localStack: boolean): KubeConnector {
  const eks = edges.awsCredentials ? new EksTokenSource(edges.awsCredentials) : undefined;
  return new KubeConnector(clusters, new SecretStoreKubeCredentials(edges.secrets, eks), {
    ttlMs: localStack ? 0 : 5 * 60_000,
    endpointPolicy: { allowLoopback: localStack },
  });
}
