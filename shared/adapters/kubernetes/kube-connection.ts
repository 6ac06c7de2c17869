import { lookup } from 'node:dns/promises';
import type { AgentOptions } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
// Deep imports, not the package root: the root re-exports Watch, Exec, Attach, PortForward, Cp and friends,
// whose dependencies (ws, tar-fs, streamx, …) esbuild cannot drop, ~110 KB of bundle (docs/budgets.md).
// The package has no `exports` map, so these paths are its public module files.
import type { Cluster as KubeCluster } from '@kubernetes/client-node/dist/config_types.js';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { ApiException } from '@kubernetes/client-node/dist/gen/apis/exception.js';
import { BatchV1Api, CoreV1Api, VersionApi } from '@kubernetes/client-node/dist/gen/index.js';
import { clusterAddressRefusal, type EndpointPolicy } from '#domain/clusters/cluster-endpoint';
import type { Cluster } from '#domain/clusters/cluster.schema';
import { normalizeHost } from '#domain/network/addresses';

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

/** The endpoint's host resolves to an address Quartermaster must not connect to (docs/kubernetes.md). */
export class ClusterAddressRefused extends Error {
  override readonly name = 'ClusterAddressRefused';
}

/** Resolves a host name to every address (IPv4 and IPv6), as the connection would. */
export type HostResolver = (host: string) => Promise<string[]>;
const dnsResolver: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The addresses a connection to the cluster may use: a literal address as registered, or what the host name
 * resolves to now, each checked against the endpoint rules (never link-local or metadata; loopback only in
 * the local stack). Checked at every connect, so a name that starts resolving to the metadata service after
 * registration (DNS rebinding) is refused; the connection is then pinned to these checked addresses.
 */
export async function checkedAddresses(cluster: Cluster, policy: EndpointPolicy, resolve: HostResolver): Promise<string[] | undefined> {
  const host = normalizeHost(new URL(cluster.endpoint).hostname);
  if (isIP(host) !== 0) {
    const refusal = clusterAddressRefusal(host, policy);
    if (refusal) throw new ClusterAddressRefused(`Cluster ${cluster.id}'s endpoint is ${refusal}: not connecting`);
    return undefined; // nothing to resolve, nothing to pin
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new ClusterAddressRefused(`Cluster ${cluster.id}'s endpoint host resolves to no address`);
  for (const address of addresses) {
    const refusal = clusterAddressRefusal(address, policy);
    if (refusal) throw new ClusterAddressRefused(`Cluster ${cluster.id}'s endpoint host resolves to ${refusal}: not connecting`);
  }
  return addresses;
}

/** Node's `lookup` answered from checked addresses: the socket connects there and nowhere else. */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? entries.filter((e) => e.family === options.family) : entries;
    const usable = wanted.length > 0 ? wanted : entries;
    if (options.all) (callback as unknown as (error: null, all: typeof entries) => void)(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/**
 * A KubeConfig whose connections resolve the API server's host through `lookup` (the checked addresses):
 * the client's TLS connector hands connect options to `tls.connect`, so the Host header, SNI and the
 * certificate check still use the registered host name.
 */
class PinnedKubeConfig extends KubeConfig {
  constructor(private readonly lookup: LookupFunction | undefined) {
    super();
  }

  override createDispatcherOptions(cluster: KubeCluster | null, agentOptions: AgentOptions) {
    const options = super.createDispatcherOptions(cluster, agentOptions);
    if (!this.lookup) return options;
    if (options.type !== 'agent') throw new Error('A pinned cluster connection must be direct TLS (no proxy)');
    return { ...options, connect: { ...options.connect, lookup: this.lookup } };
  }
}

/**
 * The KubeConfig of a connection, always built from options: the endpoint and CA come from the registration
 * (never from an uploaded kubeconfig, which could point elsewhere), TLS verification is always on, and no
 * exec or auth-provider plugin can ever run inside a function. `addresses` pins a host name to the
 * addresses checked at connect time.
 */
export function kubeConfigFor(cluster: Cluster, credentials: KubeUserCredentials, addresses?: readonly string[]): KubeConfig {
  const config = new PinnedKubeConfig(addresses ? pinnedLookup(addresses) : undefined);
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
 * not re-read secrets, re-sign or re-resolve for every call (each new connection resolves and re-checks). `invalidate` drops one after a 401, so a rotated credential
 * takes effect on the next call instead of after the cache window.
 */
export class KubeConnector {
  private readonly cache = new Map<string, { connection: KubeConnection; until: number }>();

  constructor(
    private readonly clusters: ClusterLookup,
    private readonly credentials: KubeCredentialSource,
    private readonly options: {
      ttlMs?: number;
      now?: () => number;
      /** Loopback endpoints: the local stack only (its fake API server). Default: refused. */
      endpointPolicy?: EndpointPolicy;
      /** DNS (the system resolver); tests substitute answers to play a rebinding resolver. */
      resolve?: HostResolver;
    } = {},
  ) {}

  /** The connection, or undefined when the cluster is not registered (or deleted meanwhile). */
  async connect(clusterId: string): Promise<KubeConnection | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(clusterId);
    if (cached && cached.until > now) return cached.connection;
    const cluster = await this.clusters.get(clusterId);
    if (!cluster) return undefined;
    const policy = this.options.endpointPolicy ?? { allowLoopback: false };
    const addresses = await checkedAddresses(cluster, policy, this.options.resolve ?? dnsResolver);
    const config = kubeConfigFor(cluster, await this.credentials.credentialsFor(cluster), addresses);
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
