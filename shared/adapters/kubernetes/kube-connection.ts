import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { Cluster } from '#domain/clusters/cluster.schema';

/**
 * How Quartermaster authenticates to one cluster at one moment: a bearer token (service-account token of a
 * generic cluster, or an EKS IAM token minted per use) or the client certificate of an uploaded kubeconfig.
 */
export type KubeUserCredentials = { token: string } | { clientCertificatePem: string; clientKeyPem: string };

/** Produces the credentials for a cluster: secret store for generic clusters, STS presigning for EKS. */
export interface KubeCredentialSource {
  credentialsFor(cluster: Cluster): Promise<KubeUserCredentials>;
}

export interface ClusterLookup {
  get(id: string): Promise<Cluster | undefined>;
}

/** The API clients for one cluster, built from its registration and current credentials. */
export interface KubeConnection {
  cluster: Cluster;
  batch: BatchV1Api;
  core: CoreV1Api;
  version: VersionApi;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * The KubeConfig of a connection, always built from options: the endpoint and CA come from the registration
 * (never from an uploaded kubeconfig, which could point elsewhere), TLS verification is always on, and no
 * exec or auth-provider plugin can ever run inside a function.
 */
export function kubeConfigFor(cluster: Cluster, credentials: KubeUserCredentials): KubeConfig {
  const config = new KubeConfig();
  const user =
    'token' in credentials
      ? { name: 'quartermaster', token: credentials.token }
      : { name: 'quartermaster', certData: base64(credentials.clientCertificatePem), keyData: base64(credentials.clientKeyPem) };
  config.loadFromOptions({
    clusters: [{ name: cluster.id, server: cluster.endpoint, caData: base64(cluster.caPem), skipTLSVerify: false }],
    users: [user],
    contexts: [{ name: 'quartermaster', cluster: cluster.id, user: 'quartermaster' }],
    currentContext: 'quartermaster',
  });
  return config;
}

/** An API error's HTTP status, or undefined for transport errors (refused connection, TLS, timeout). */
export const apiStatus = (error: unknown): number | undefined => (error instanceof ApiException ? error.code : undefined);

/** The `message` of the API server's `Status` body, for errors shown to admins (never carries secrets). */
export function apiMessage(error: unknown): string {
  if (!(error instanceof ApiException)) return error instanceof Error ? error.message : 'unknown error';
  let body: unknown = error.body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.slice(0, 500) || `HTTP ${error.code}`;
    }
  }
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, 500) : `HTTP ${error.code}`;
}

/**
 * Connections per cluster, kept for `ttlMs` (less than an EKS token's 15-minute life) so a warm function does
 * not re-read secrets or re-sign for every call. `invalidate` drops one after a 401, so a rotated credential
 * takes effect on the next call instead of after the cache window.
 */
export class KubeConnector {
  private readonly cache = new Map<string, { connection: KubeConnection; until: number }>();

  constructor(
    private readonly clusters: ClusterLookup,
    private readonly credentials: KubeCredentialSource,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  /** The connection, or undefined when the cluster is not registered (or deleted meanwhile). */
  async connect(clusterId: string): Promise<KubeConnection | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(clusterId);
    if (cached && cached.until > now) return cached.connection;
    const cluster = await this.clusters.get(clusterId);
    if (!cluster) return undefined;
    const config = kubeConfigFor(cluster, await this.credentials.credentialsFor(cluster));
    const connection: KubeConnection = {
      cluster,
      batch: config.makeApiClient(BatchV1Api),
      core: config.makeApiClient(CoreV1Api),
      version: config.makeApiClient(VersionApi),
    };
    this.cache.set(clusterId, { connection, until: now + (this.options.ttlMs ?? 5 * 60_000) });
    return connection;
  }

  invalidate(clusterId: string): void {
    this.cache.delete(clusterId);
  }

  /** Runs `call` on the cluster; a 401 drops the cached credentials and tries once more with fresh ones. */
  async withConnection<T>(clusterId: string, call: (connection: KubeConnection) => Promise<T>): Promise<T | undefined> {
    const connection = await this.connect(clusterId);
    if (!connection) return undefined;
    try {
      return await call(connection);
    } catch (error) {
      if (apiStatus(error) !== 401) throw error;
      this.invalidate(clusterId);
      const fresh = await this.connect(clusterId);
      return fresh ? call(fresh) : undefined;
    }
  }
}
