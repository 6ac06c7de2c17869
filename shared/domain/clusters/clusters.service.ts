import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import type { HardwareCatalog } from '#domain/catalog/catalog.port';
import { AppError, notFound } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { checkCaPem, checkEndpoint, type EndpointPolicy } from './cluster-endpoint';
import type { ClusterCredentialsInput, ClusterHealth, ClusterProbe, ClusterRepository } from './clusters.port';
import { clusterInputSchema, clusterSchema, type Cluster, type ClusterInput } from './cluster.schema';
import { acceptKubeconfig, type StoredClusterCredential } from './kubeconfig-policy';

export interface ClustersDeps {
  clusters: ClusterRepository;
  secrets: SecretStore;
  probe: ClusterProbe;
  hardware: HardwareCatalog;
  orgExists: (orgId: string) => Promise<boolean>;
  /**
   * The kubeconfig YAML parser (the adapter's loader), obtained asynchronously because deployed it lives in the
   * lazily loaded Kubernetes file; the parser returns a plain object and throws on invalid YAML.
   */
  loadKubeconfigParser: () => Promise<(text: string) => unknown>;
  clock: Clock;
  endpointPolicy: EndpointPolicy;
}

/** Secret store name of a generic cluster's credential (the store adds the deployment's prefix). */
export const clusterSecretName = (id: string): string => `clusters/${id}`;

/** Platform admins (`platform.config`) see every cluster; everyone else only clusters their org may use. */
const seesAll = (principal: Principal): boolean => hasPermission(principal, 'platform.config');

/**
 * What a caller sees of a cluster: never the credential reference; an org admin sees only their own org's
 * access entry (which other orgs share a cluster is not theirs to know).
 */
export function clusterView(cluster: Cluster, principal: Principal) {
  const { schemaVersion: _v, credentialsRef, orgs, ...rest } = cluster;
  return {
    ...rest,
    orgs: seesAll(principal) ? orgs : orgs.filter((entry) => entry.orgId === principal.orgId),
    hasCredentials: cluster.kind === 'eks' || credentialsRef !== undefined,
  };
}
export type ClusterView = ReturnType<typeof clusterView>;

export async function listClusters(principal: Principal, deps: Pick<ClustersDeps, 'clusters'>): Promise<Cluster[]> {
  const all = await deps.clusters.list();
  return seesAll(principal)
    ? all
    : all.filter((cluster) => cluster.enabled && cluster.orgs.some((entry) => entry.orgId === principal.orgId));
}

/** A cluster the caller may see; any other id answers 404, as if it did not exist. */
export async function getCluster(principal: Principal, id: string, deps: Pick<ClustersDeps, 'clusters'>): Promise<Cluster> {
  const cluster = await deps.clusters.get(id);
  if (!cluster || (!seesAll(principal) && !(cluster.enabled && cluster.orgs.some((entry) => entry.orgId === principal.orgId)))) {
    throw notFound('Cluster');
  }
  return cluster;
}

/** Checks what the schema cannot: endpoint and CA, kind-specific fields, that orgs and hardware types exist. */
async function validated(input: ClusterInput, deps: ClustersDeps): Promise<ReturnType<typeof clusterInputSchema.parse>> {
  const parsed = clusterInputSchema.parse(input);
  const endpoint = checkEndpoint(parsed.endpoint, deps.endpointPolicy);
  const caPem = checkCaPem(parsed.caPem);
  const fields: Array<{ field: string; message: string }> = [];
  if (parsed.kind === 'eks' && !parsed.eks) fields.push({ field: 'body.eks', message: 'required for kind eks (cluster name and region)' });
  if (parsed.kind === 'generic' && parsed.eks) fields.push({ field: 'body.eks', message: 'only for kind eks' });
  for (const [index, entry] of parsed.orgs.entries()) {
    if (!(await deps.orgExists(entry.orgId))) fields.push({ field: `body.orgs.${index}.orgId`, message: `no org "${entry.orgId}"` });
  }
  for (const hardwareType of Object.keys(parsed.hardware)) {
    if (!(await deps.hardware.get(hardwareType)))
      fields.push({ field: `body.hardware.${hardwareType}`, message: 'not a hardware type of the catalog' });
  }
  if (fields.length > 0)
    throw new AppError('unprocessable', `Cluster refused: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, { fields });
  return { ...parsed, endpoint, caPem };
}

export async function registerCluster(principal: Principal, id: string, input: ClusterInput, deps: ClustersDeps): Promise<Cluster> {
  const now = deps.clock.now().toISOString();
  const cluster = clusterSchema.parse({
    ...(await validated(input, deps)),
    id,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (!(await deps.clusters.save(cluster, 0)))
    throw new AppError('conflict', `A cluster "${id}" is already registered (disabled ones too: PUT it to change it)`);
  return cluster;
}

export async function replaceCluster(
  principal: Principal,
  id: string,
  input: ClusterInput,
  deps: ClustersDeps,
): Promise<{ cluster: Cluster; previous: Cluster }> {
  const previous = await getCluster(principal, id, deps);
  const next = await validated(input, deps);
  if (next.kind !== previous.kind) {
    throw new AppError('unprocessable', 'The kind of a cluster cannot change: register a new cluster', {
      fields: [{ field: 'body.kind', message: `stays ${previous.kind}` }],
    });
  }
  const cluster = clusterSchema.parse({
    ...next,
    id,
    ...(previous.credentialsRef ? { credentialsRef: previous.credentialsRef } : {}),
    ...(previous.credentialsKind ? { credentialsKind: previous.credentialsKind } : {}),
    ...(previous.credentialsUpdatedAt ? { credentialsUpdatedAt: previous.credentialsUpdatedAt } : {}),
    createdBy: previous.createdBy,
    createdAt: previous.createdAt,
    updatedAt: deps.clock.now().toISOString(),
    version: previous.version + 1,
  });
  if (!(await deps.clusters.save(cluster, previous.version)))
    throw new AppError('conflict', 'The cluster was changed meanwhile; read it again and retry');
  return { cluster, previous };
}

/** Soft delete (DESIGN §4.3): jobs keep referring to the cluster; it takes no new jobs and is hidden from orgs. */
export async function disableCluster(principal: Principal, id: string, deps: ClustersDeps): Promise<Cluster> {
  const previous = await getCluster(principal, id, deps);
  const cluster = { ...previous, enabled: false, updatedAt: deps.clock.now().toISOString(), version: previous.version + 1 };
  if (!(await deps.clusters.save(cluster, previous.version)))
    throw new AppError('conflict', 'The cluster was changed meanwhile; read it again and retry');
  return cluster;
}

/**
 * Stores (or rotates) a generic cluster's credential, write-only: the secret store keeps the value, the
 * cluster item only the reference. An uploaded kubeconfig is reduced to its static credential after the
 * refusals of `acceptKubeconfig`. EKS clusters have nothing to store: they authenticate with IAM.
 */
export async function setClusterCredentials(
  principal: Principal,
  id: string,
  input: ClusterCredentialsInput,
  deps: ClustersDeps,
): Promise<Cluster> {
  const previous = await getCluster(principal, id, deps);
  if (previous.kind === 'eks') {
    throw new AppError(
      'unprocessable',
      "EKS clusters authenticate with the functions' IAM role (an access entry): there is no credential to store",
      {
        fields: [{ field: 'body.kind', message: 'not for kind eks' }],
      },
    );
  }
  let credential: StoredClusterCredential;
  if (input.kind === 'token') {
    credential = { kind: 'token', token: input.token };
  } else {
    const parseKubeconfig = await deps.loadKubeconfigParser(); // outside the try: failing to load it is no YAML error
    let raw: unknown;
    try {
      raw = parseKubeconfig(input.kubeconfig);
    } catch {
      throw new AppError('validation_failed', 'kubeconfig is not valid YAML', {
        fields: [{ field: 'body.kubeconfig', message: 'not valid YAML' }],
      });
    }
    credential = acceptKubeconfig(raw, previous.endpoint);
  }
  const credentialsRef = await deps.secrets.put(clusterSecretName(id), JSON.stringify(credential));
  const now = deps.clock.now().toISOString();
  const cluster: Cluster = {
    ...previous,
    credentialsRef,
    credentialsKind: input.kind,
    credentialsUpdatedAt: now,
    updatedAt: now,
    version: previous.version + 1,
  };
  if (!(await deps.clusters.save(cluster, previous.version)))
    throw new AppError('conflict', 'The cluster was changed meanwhile; read it again and retry');
  return cluster;
}

export async function clusterHealth(
  principal: Principal,
  id: string,
  deps: Pick<ClustersDeps, 'clusters' | 'probe'>,
): Promise<ClusterHealth> {
  return deps.probe.check(await getCluster(principal, id, deps));
}
