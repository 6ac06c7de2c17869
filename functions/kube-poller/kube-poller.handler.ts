import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeKubePoller } from './kube-poller.app';
import { kubePollerEnvSchema } from './kube-poller.env';

// Composition root of the Kubernetes status poller: the one composition (`composeKubePoller`), with
// DynamoDB (events through its outbox), Secrets Manager (generic clusters' credentials, read at each new connection) and the role's
// credentials for EKS tokens.
const env = loadEnv(kubePollerEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const secretsManager = new SecretsManagerClient(boundedAwsClientConfig());
const logger = getLogger();

export const handler = composeKubePoller(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  secrets: new SecretsManagerStore(secretsManager, { namePrefix: env.QM_SECRET_NAME_PREFIX, ttlMs: 0 }),
  awsCredentials: () => secretsManager.config.credentials(),
  log: (message, details) => logger.warn(message, details),
});
