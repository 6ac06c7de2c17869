import { ECSClient } from '@aws-sdk/client-ecs';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { EcsJobBackend } from '#adapters/ecs/ecs-job-backend.client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { getLogger } from '#adapters/logging/logger';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { lazyKubeAdapters, lazyKubeBackend } from '#adapters/kubernetes/kube-lazy';
import { parseBackends } from '#config/backends';
import { loadEnv } from '#config/env';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { JobBackend } from '#domain/jobs/jobs.port';
import { createDispatcher } from './dispatcher.app';
import { dispatcherEnvSchema } from './dispatcher.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

/** RunTask commonly takes 1–3 s (capacity provider placement); the dispatcher is off every request path. */
const ECS_REQUEST_TIMEOUT_MS = 10_000;

const env = loadEnv(dispatcherEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const ecsClient = new ECSClient(boundedAwsClientConfig({ requestTimeoutMs: ECS_REQUEST_TIMEOUT_MS }));
const ecs = new EcsJobBackend({
  ecs: ecsClient,
  fleets: new DynamoFleetDirectory(doc, env.QM_TABLE_NAME),
  clusterArn: env.QM_ECS_CLUSTER_ARN,
  subnetIds: env.QM_ECS_SUBNET_IDS.split(',')
    .map((id) => id.trim())
    .filter(Boolean),
  securityGroupId: env.QM_ECS_SECURITY_GROUP_ID,
  executionRoleArn: env.QM_ECS_EXECUTION_ROLE_ARN,
  taskRoleArn: env.QM_ECS_TASK_ROLE_ARN,
  logGroup: env.QM_JOB_LOG_GROUP,
  region: process.env.AWS_REGION ?? 'us-east-1',
});

/**
 * Registered Kubernetes clusters when the stage offers them: credentials from Secrets Manager (read at each new
 * connection, so a rotation applies on the next 401), EKS tokens signed with this function's role; both
 * clients are built inside the Kubernetes file (kube-adapters.ts). Loaded on
 * the first Kubernetes job, from its own file in the asset (kube-lazy.ts), so ECS dispatches never load the
 * Kubernetes client.
 */
const kubernetes = parseBackends(env.QM_BACKENDS, false).includes('kubernetes')
  ? lazyKubeBackend(
      lazyKubeAdapters(
        new DynamoClusterRepository(doc, env.QM_TABLE_NAME),
        { secretsManager: { namePrefix: env.QM_SECRET_NAME_PREFIX } },
        { localStack: false, clock: systemClock },
      ),
    )
  : undefined;

/** `local` never exists in a deployed stack. */
function backendFor(kind: JobBackend['kind']): JobBackend {
  if (kind === 'ecs') return ecs;
  if (kind === 'kubernetes' && kubernetes) return kubernetes;
  throw new BackendLaunchError(kind, `Backend "${kind}" is not available in this deployment`);
}

export const handler = createDispatcher(
  {
    jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
    hardware: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME),
    backends: backendFor,
    events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
    clock: systemClock,
    ids: ulidSource(),
    retentionDays: env.QM_JOB_RETENTION_DAYS,
  },
  getLogger(),
);
