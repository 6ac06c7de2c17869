import type { Principal } from '#domain/authz/principal';
import type { Clock } from '#domain/runtime/runtime.port';
import type { ClusterHealth, ClusterProbe, ClusterRepository } from './clusters.port';
import { listClusters } from './clusters.service';

export interface DeepHealthDeps {
  clusters: ClusterRepository;
  probe: ClusterProbe;
  /** Resolves when DynamoDB answers; rejects otherwise. */
  checkDatabase: () => Promise<void>;
  clock: Clock;
  /** Upper bound per check: a cluster that has not answered by then is `unreachable`. */
  timeoutMs: number;
}

export interface DeepHealth {
  /** `unhealthy`: Quartermaster itself cannot work (DynamoDB); `degraded`: a cluster is not healthy. */
  status: 'ok' | 'degraded' | 'unhealthy';
  checkedAt: string;
  checks: { dynamodb: { status: 'ok' | 'fail'; latencyMs: number } };
  /** The clusters the caller may see (as `GET /v1/clusters`), enabled ones only; no endpoints, no pools. */
  clusters: Array<Pick<ClusterHealth, 'cluster' | 'status' | 'message' | 'version'> & { latencyMs: number }>;
}

/** Resolves with `onTimeout()` when `promise` has not settled within `ms` (and never rejects because of it). */
async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The deep health check (docs/architecture.md#operations): DynamoDB and every cluster the caller may see,
 * all checked in parallel, each bounded by `timeoutMs`, so one hung API server costs the answer at most that
 * long. Which clusters are listed follows the clusters API's visibility rule (platform admins: all; org
 * admins: those their org may use), so nobody learns of a cluster, let alone its endpoint, through it; the
 * answer carries no endpoint, CA or capacity, only each cluster's verdict.
 */
export async function deepHealth(principal: Principal, deps: DeepHealthDeps): Promise<DeepHealth> {
  const timed = async <T>(check: Promise<T>, onTimeout: () => T) => {
    const at = Date.now();
    const result = await within(check, deps.timeoutMs, onTimeout);
    return { result, latencyMs: Date.now() - at };
  };
  const database = timed(
    deps.checkDatabase().then(
      () => 'ok' as const,
      () => 'fail' as const,
    ),
    () => 'fail' as const,
  );
  const visible = (await listClusters(principal, deps).catch(() => [])).filter((cluster) => cluster.enabled);
  const clusters = await Promise.all(
    visible.map(async (cluster) => {
      const { result, latencyMs } = await timed(
        deps.probe.check(cluster).catch((error: unknown): ClusterHealth => ({
          cluster: cluster.id,
          status: 'unreachable',
          checkedAt: deps.clock.now().toISOString(),
          message: error instanceof Error ? error.message : 'check failed',
        })),
        (): ClusterHealth => ({
          cluster: cluster.id,
          status: 'unreachable',
          checkedAt: deps.clock.now().toISOString(),
          message: `no answer within ${deps.timeoutMs} ms`,
        }),
      );
      const { status, message, version } = result;
      return { cluster: cluster.id, status, ...(message ? { message } : {}), ...(version ? { version } : {}), latencyMs };
    }),
  );
  const dynamodb = await database;
  const status = dynamodb.result === 'fail' ? 'unhealthy' : clusters.some((c) => c.status !== 'healthy') ? 'degraded' : 'ok';
  return {
    status,
    checkedAt: deps.clock.now().toISOString(),
    checks: { dynamodb: { status: dynamodb.result, latencyMs: dynamodb.latencyMs } },
    clusters,
  };
}
