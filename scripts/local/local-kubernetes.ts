import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { KubeClusterProbe } from '#adapters/kubernetes/kube-cluster-probe.client';
import { KubeConnector } from '#adapters/kubernetes/kube-connection';
import { parseKubeconfigYaml, SecretStoreKubeCredentials } from '#adapters/kubernetes/kube-credentials';
import { KubePodLogReader } from '#adapters/kubernetes/kube-pod-log.client';
import { KubernetesJobBackend } from '#adapters/kubernetes/kubernetes-job-backend.client';
import { systemClock } from '#adapters/runtime/system-runtime';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { HardwareCatalog } from '#domain/catalog/catalog.port';
import type { Principal } from '#domain/authz/principal';
import { registerCluster, replaceCluster, setClusterCredentials, type ClustersDeps } from '#domain/clusters/clusters.service';
import type { ClusterInput } from '#domain/clusters/cluster.schema';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './fake-kubernetes/fake-kube-api-server';
import { ensureDevCertificate } from './tls-cert';

/** The cluster `npm run dev` registers: the fake API server (a test double, see docs/kubernetes.md). */
export const DEV_CLUSTER_ID = 'dev-k8s';
const GPU_TAINT = [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }];

/** The registration of dev-k8s: acme may use `research` and `team-*`; its vision team also `vision-*`. */
export const devClusterInput = (endpoint: string, caPem: string): ClusterInput => ({
  displayName: 'Dev Kubernetes (fake API server, local stack only)',
  kind: 'generic',
  endpoint,
  caPem,
  orgs: [{ orgId: 'acme', namespaces: ['research', 'team-*'], teams: [{ teamId: 'vision', namespaces: ['vision-*'] }] }],
  hardware: {
    'gpu-a10g-1x': { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'a10g' }, tolerations: GPU_TAINT },
    'gpu-a100-8x': { nodeSelector: { 'eks.amazonaws.com/nodegroup': 'a100' }, tolerations: GPU_TAINT },
  },
  ttlSecondsAfterFinished: 3600,
});

export interface LocalKubernetes {
  server: FakeKubeApiServer;
  backend: KubernetesJobBackend;
  logs: KubePodLogReader;
  clustersDeps: ClustersDeps;
  stop(): Promise<void>;
}

/** The platform admin the local stack acts as when it registers dev-k8s at start. */
const LOCAL_STACK_ADMIN: Principal = {
  userId: 'local-stack',
  orgId: 'acme',
  level: 'admin',
  platformAdmin: true,
  teamIds: [],
  authMethod: 'dev',
  permissions: ['platform.config', 'admin.config'],
};

/**
 * LOCAL STACK ONLY: starts the fake Kubernetes API server (GPU node pools a10g 2×4 and a100 1×8, tainted),
 * and registers it as cluster `dev-k8s` through the same service the clusters API uses, with a
 * service-account-style token kept in the local secret store. The endpoint changes with the port on every
 * start, so an existing registration is updated.
 */
export async function startLocalKubernetes(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  dataDir: string | undefined;
  hardware: HardwareCatalog;
  orgExists: (orgId: string) => Promise<boolean>;
  /** The local stack's secret store: the clusters function reads dev-k8s's token from the same one. */
  secrets: SecretStore;
}): Promise<LocalKubernetes> {
  const dir = options.dataDir ? join(options.dataDir, 'kubernetes') : await mkdtemp(join(tmpdir(), 'qm-kube-'));
  const certificate = await ensureDevCertificate(join(dir, 'tls'));
  const tokenFile = join(dir, 'tls', 'dispatcher-token');
  const token = await readFile(tokenFile, 'utf8').catch(async () => {
    const fresh = randomBytes(24).toString('base64url');
    await writeFile(tokenFile, fresh, { mode: 0o600 });
    return fresh;
  });
  const server = await startFakeKubeApiServer({
    certificate,
    namespaces: ['default', 'research', 'team-x-dev', 'vision-train'],
    nodePools: [
      {
        name: 'a10g',
        count: 2,
        labels: {},
        taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
        allocatable: { 'nvidia.com/gpu': '4', cpu: '48', memory: '192Gi' },
      },
      {
        name: 'a100',
        count: 1,
        labels: {},
        taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
        allocatable: { 'nvidia.com/gpu': '8', cpu: '96', memory: '1152Gi' },
      },
    ],
    localQueues: { research: ['gpu-queue'] },
    tokens: {
      [token]: {
        user: 'system:serviceaccount:quartermaster:dispatcher',
        namespaces: ['research', 'team-x-dev', 'vision-train'],
        clusterRead: true,
      },
    },
    timing: { tick: 100, schedule: 500, pull: 1000 },
  });
  const clusters = new DynamoClusterRepository(options.doc, options.tableName);
  const secrets = options.secrets;
  const connector = new KubeConnector(clusters, new SecretStoreKubeCredentials(secrets), {
    ttlMs: 30_000,
    endpointPolicy: { allowLoopback: true },
  });
  const clustersDeps: ClustersDeps = {
    clusters,
    secrets,
    probe: new KubeClusterProbe(connector, systemClock),
    hardware: options.hardware,
    orgExists: options.orgExists,
    loadKubeconfigParser: () => Promise.resolve(parseKubeconfigYaml),
    clock: systemClock,
    endpointPolicy: { allowLoopback: true },
  };
  const input = devClusterInput(server.url, server.caPem);
  if (await clusters.get(DEV_CLUSTER_ID)) await replaceCluster(LOCAL_STACK_ADMIN, DEV_CLUSTER_ID, input, clustersDeps);
  else await registerCluster(LOCAL_STACK_ADMIN, DEV_CLUSTER_ID, input, clustersDeps);
  await setClusterCredentials(LOCAL_STACK_ADMIN, DEV_CLUSTER_ID, { kind: 'token', token }, clustersDeps);
  return {
    server,
    backend: new KubernetesJobBackend(connector),
    logs: new KubePodLogReader(connector),
    clustersDeps,
    stop: () => server.close(),
  };
}
