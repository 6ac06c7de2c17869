import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { KubeConnector, type KubeCredentialSource } from '#adapters/kubernetes/kube-connection';
import type { HardwareRequirements } from '#domain/jobs/jobs.port';
import { clusterSchema, type Cluster, type ClusterInput } from '#domain/clusters/cluster.schema';
import type { Job } from '#domain/jobs/job.schema';
import {
  startFakeKubeApiServer,
  type FakeKubeApiServer,
  type FakeKubeApiServerOptions,
} from '#scripts/local/fake-kubernetes/fake-kube-api-server';
import type { FakeNodePool } from '#scripts/local/fake-kubernetes/fake-kube-objects';
import { ensureDevCertificate } from '#scripts/local/tls-cert';
import { spec } from './job-fixtures';

/** Two GPU pools: 2 × 4 A10G (tainted, as GPU pools usually are) and 1 × 8 A100, plus a CPU pool. */
export const GPU_POOLS: FakeNodePool[] = [
  {
    name: 'a10g',
    count: 2,
    labels: { 'qm.dev/pool': 'a10g' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    allocatable: { 'nvidia.com/gpu': '4', cpu: '48', memory: '192Gi' },
  },
  {
    name: 'a100',
    count: 1,
    labels: { 'qm.dev/pool': 'a100' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    allocatable: { 'nvidia.com/gpu': '8', cpu: '96', memory: '1152Gi' },
  },
  { name: 'cpu', count: 1, labels: { 'qm.dev/pool': 'cpu' }, allocatable: { cpu: '8', memory: '32Gi' } },
];

const GPU_TOLERATION = [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }];

/** A registration for the fake server: the hardware types map to the pools above. */
export function clusterFor(server: FakeKubeApiServer, overrides: Partial<ClusterInput> & { id?: string } = {}): Cluster {
  const now = new Date().toISOString();
  return clusterSchema.parse({
    id: 'fake',
    kind: 'generic',
    endpoint: server.url,
    caPem: server.caPem,
    orgs: [{ orgId: 'acme', namespaces: ['research', 'team-*'] }],
    hardware: {
      'gpu-a10g-1x': { nodeSelector: { 'qm.dev/pool': 'a10g' }, tolerations: GPU_TOLERATION },
      'gpu-a100-8x': { nodeSelector: { 'qm.dev/pool': 'a100' }, tolerations: GPU_TOLERATION },
      'gpu-a100-16x': { nodeSelector: { 'qm.dev/pool': 'a100' }, tolerations: GPU_TOLERATION },
      'gpu-untolerated-1x': { nodeSelector: { 'qm.dev/pool': 'a10g' } },
    },
    credentialsRef: 'test',
    credentialsKind: 'token',
    createdBy: 'platform',
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  });
}

export const hardware = (hardwareType: string, gpuCount: number): HardwareRequirements => ({
  hardwareType,
  gpuCount,
  vcpu: 8,
  memoryMiB: 32_768,
});

/** A job placed on `cluster`/`namespace`, as submission would store it. */
export function kubeJob(overrides: Partial<Job> & { specOverrides?: Parameters<typeof spec>[0] } = {}): Job {
  const { specOverrides, ...rest } = overrides;
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    id: ulid(),
    orgId: 'acme',
    ownerId: 'rae',
    teamId: 'vision',
    spec: spec({ backend: 'kubernetes', ...specOverrides }),
    backend: 'kubernetes',
    state: 'starting',
    priorityClass: 20,
    estimatedCostUsd: 1,
    gpuCount: 1,
    createdAt: now,
    updatedAt: now,
    history: [],
    holds: [],
    version: 1,
    placement: { cluster: 'fake', namespace: 'research' },
    ...rest,
  };
}

export interface KubeWorld {
  server: FakeKubeApiServer;
  clusters: Map<string, Cluster>;
  /** The token the credential source hands out; tests rotate it. */
  token: { current: string };
  connector: KubeConnector;
  close(): Promise<void>;
}

/**
 * A fake API server (the documented test double) and a connector that reaches it with the real
 * @kubernetes/client-node over https. Credentials come from `token.current`, as a secret store would give.
 */
export async function startKubeWorld(options: Partial<FakeKubeApiServerOptions> = {}): Promise<KubeWorld> {
  const certificate = await ensureDevCertificate(await mkdtemp(join(tmpdir(), 'qm-kube-')));
  const token = { current: 'qm-token-1' };
  const server = await startFakeKubeApiServer({
    certificate,
    namespaces: ['research', 'team-x-dev', 'locked'],
    nodePools: GPU_POOLS,
    tokens: {
      [token.current]: {
        user: 'system:serviceaccount:qm:dispatcher',
        namespaces: ['research', 'team-x-dev', 'nowhere'],
        clusterRead: true,
      },
    },
    timing: { tick: 10, schedule: 30, pull: 30, kueueAdmit: 80, second: 10 },
    ...options,
  });
  const clusters = new Map<string, Cluster>([['fake', clusterFor(server)]]);
  const credentials: KubeCredentialSource = { credentialsFor: async () => ({ token: token.current }) };
  // The fake listens on loopback, which only the local stack may reach (`endpointPolicy`).
  const connector = new KubeConnector({ get: async (id) => clusters.get(id) }, credentials, { endpointPolicy: { allowLoopback: true } });
  return { server, clusters, token, connector, close: () => server.close() };
}

/** Polls `read` until `done` holds (the fake's transitions take tens of milliseconds). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
