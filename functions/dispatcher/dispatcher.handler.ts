import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { EcsJobBackend } from '#adapters/ecs/ecs-job-backend.client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { getLogger } from '#adapters/logging/logger';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
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
const ecs = new EcsJobBackend({
  ecs: new ECSClient(boundedAwsClientConfig({ requestTimeoutMs: ECS_REQUEST_TIMEOUT_MS })),
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

/** Kubernetes clusters join with the backends issue; `local` never exists in a deployed stack. */
function backendFor(kind: JobBackend['kind']): JobBackend {
  if (kind === 'ecs') return ecs;
  throw new BackendLaunchError(kind, `Backend "${kind}" is not available in this deployment`);
}

export const handler = createDispatcher(
  {
    jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
    hardware: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME),
    backends: backendFor,
    events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
    clock: systemClock,
    ids: ulidSource(),
    retentionDays: env.QM_JOB_RETENTION_DAYS,
  },
  getLogger(),
);
