import { ECSClient } from '@aws-sdk/client-ecs';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { EcsRunObserver } from '#adapters/ecs/ecs-run-observer.client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { composeReconciler } from './reconciler.app';
import { reconcilerEnvSchema } from './reconciler.env';

// Composition root of the reconciler: the one composition (`composeReconciler`) with the deployed clients.
// ECS is the only backend it reads: the Kubernetes status poller (functions/kube-poller) already compares every
// active Kubernetes job with its Job on each pass, through the same reportFor, so this bundle needs no
// Kubernetes client.
const env = loadEnv(reconcilerEnvSchema);
const logger = getLogger();

const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

// Events go to the table's outbox, relayed to the bus from the stream, like every function's but the relay's.
export const handler = composeReconciler(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
  observers: { ecs: new EcsRunObserver({ ecs: new ECSClient(boundedAwsClientConfig()), clusterArn: env.QM_ECS_CLUSTER_ARN }) },
  onError: (message, details) => logger.warn(message, details),
});
