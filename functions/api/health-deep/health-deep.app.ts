import { dynamoReadinessProbe } from '#adapters/dynamodb/dynamo-readiness-probe';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { lazyKubeAdapters, lazyKubeProbe } from '#adapters/kubernetes/kube-lazy';
import type { DeployedKubeEdges } from '#adapters/kubernetes/kube-adapters';
import type { KubeEdges } from '#adapters/kubernetes/kube-connector-factory';
import { deepHealth, type DeepHealthDeps } from '#domain/clusters/deep-health.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { healthDeepRoutes } from './health-deep.routes';
import type { HealthDeepEnv } from './health-deep.env';

/** `GET /health`: the rules (visibility, bounds, verdicts) are in deep-health.service.ts. */
export function createHealthDeepHandler(deps: DeepHealthDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    healthDeepRoutes,
    { healthDeep: async ({ principal }) => ({ status: 200, body: await deepHealth(principal, deps) }) },
    options,
  );
}

/**
 * The deep health function, as Lambda, the local stack and the tests build it. Deployed, Secrets Manager is only
 * for cluster credentials, so `runtime` names the prefix and the client is built inside the Kubernetes file.
 */
export function composeHealthDeep(env: HealthDeepEnv, runtime: ApiRuntime & (KubeEdges | DeployedKubeEdges)) {
  const { options, clock } = composeApiAccess(env, runtime);
  const clusters = new DynamoClusterRepository(runtime.doc, env.QM_TABLE_NAME);
  // The Kubernetes client loads with the first cluster to check (kube-lazy.ts): the DynamoDB check needs none.
  const probe = lazyKubeProbe(lazyKubeAdapters(clusters, runtime, { localStack: env.QM_LOCAL_STACK === 'true', clock }));
  return createHealthDeepHandler(
    {
      clusters,
      probe,
      checkDatabase: dynamoReadinessProbe(runtime.doc, env.QM_TABLE_NAME),
      clock,
      timeoutMs: env.QM_HEALTH_CHECK_TIMEOUT_MS,
    },
    options,
  );
}
