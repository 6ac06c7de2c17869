import {
  clusterHealth,
  clusterView,
  disableCluster,
  getCluster,
  listClusters,
  registerCluster,
  replaceCluster,
  setClusterCredentials,
  type ClustersDeps,
} from '#domain/clusters/clusters.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import type { KubeEdges } from '#adapters/kubernetes/kube-connector-factory';
import { importKubeAdapters, lazyKubeAdapters, lazyKubeProbe } from '#adapters/kubernetes/kube-lazy';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { clustersRoutes } from './clusters.routes';
import type { ClustersEnv } from './clusters.env';

export type { ClustersDeps };

/** The cluster registry API; every rule is in clusters.service.ts. Audit entries name the cluster, never a credential. */
export function createClustersHandler(deps: ClustersDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    clustersRoutes,
    {
      listClusters: async ({ principal }) => ({
        status: 200,
        body: { items: (await listClusters(principal, deps)).map((cluster) => clusterView(cluster, principal)) },
      }),
      registerCluster: async ({ principal, body }) => {
        const { id, ...input } = body;
        const cluster = await registerCluster(principal, id, input, deps);
        return {
          status: 201,
          body: clusterView(cluster, principal),
          audit: {
            action: 'cluster.register',
            target: `cluster/${id}`,
            details: { kind: cluster.kind, orgs: cluster.orgs.map((o) => o.orgId) },
          },
        };
      },
      getCluster: async ({ principal, params }) => ({
        status: 200,
        body: clusterView(await getCluster(principal, params.id, deps), principal),
      }),
      replaceCluster: async ({ principal, params, body }) => {
        const { cluster, previous } = await replaceCluster(principal, params.id, body, deps);
        return {
          status: 200,
          body: clusterView(cluster, principal),
          audit: {
            action: 'cluster.update',
            target: `cluster/${params.id}`,
            details: {
              version: cluster.version,
              endpointChanged: cluster.endpoint !== previous.endpoint,
              orgs: cluster.orgs.map((o) => o.orgId),
              enabled: cluster.enabled,
            },
          },
        };
      },
      disableCluster: async ({ principal, params }) => ({
        status: 200,
        body: clusterView(await disableCluster(principal, params.id, deps), principal),
        audit: { action: 'cluster.disable', target: `cluster/${params.id}` },
      }),
      setClusterCredentials: async ({ principal, params, body }) => {
        const cluster = await setClusterCredentials(principal, params.id, body, deps);
        return {
          status: 200,
          body: clusterView(cluster, principal),
          audit: { action: 'cluster.credentials.rotate', target: `cluster/${params.id}`, details: { kind: body.kind } },
        };
      },
      getClusterHealth: async ({ principal, params }) => ({ status: 200, body: await clusterHealth(principal, params.id, deps) }),
    },
    options,
  );
}

/**
 * The clusters function, as Lambda, the local stack and the tests build it. `secrets` is Secrets Manager when
 * deployed (credentials written there, read back only for health checks); `awsCredentials` (the role's)
 * signs EKS tokens. Loopback endpoints are accepted on
 * the local stack only (its fake API server); never link-local or metadata addresses.
 */
export function composeClusters(env: ClustersEnv, runtime: ApiRuntime & KubeEdges) {
  const { access, options, clock } = composeApiAccess(env, runtime);
  const clusters = new DynamoClusterRepository(runtime.doc, env.QM_TABLE_NAME);
  const tenancy = new DynamoTenancyRepository(runtime.doc, env.QM_TABLE_NAME, access.orgStatus);
  // Registry CRUD needs no Kubernetes client; the health and capacity route loads it on first use (kube-lazy.ts).
  const adapters = lazyKubeAdapters(clusters, runtime, { localStack: env.QM_LOCAL_STACK === 'true', clock });
  return createClustersHandler(
    {
      clusters,
      secrets: runtime.secrets,
      probe: lazyKubeProbe(adapters),
      hardware: new DynamoHardwareCatalog(runtime.doc, env.QM_TABLE_NAME, runtime.configCacheMs),
      orgExists: async (orgId) => (await tenancy.getOrg(orgId)) !== undefined,
      // The YAML loader comes with the Kubernetes client (js-yaml through it): loaded with the first kubeconfig upload.
      loadKubeconfigParser: async () => (await importKubeAdapters()).parseKubeconfigYaml,
      clock,
      endpointPolicy: { allowLoopback: env.QM_LOCAL_STACK === 'true' },
    },
    options,
  );
}
