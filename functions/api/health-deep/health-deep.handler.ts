import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeHealthDeep } from './health-deep.app';
import { healthDeepEnvSchema } from './health-deep.env';

// Composition root of the deep health function: the one composition (`composeHealthDeep`), with Secrets Manager
// (generic clusters' credentials) and the role's credentials for EKS tokens.
const env = loadEnv(healthDeepEnvSchema);
const secretsManager = new SecretsManagerClient(boundedAwsClientConfig());

export const handler = composeHealthDeep(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(secretsManager, { namePrefix: env.QM_SECRET_NAME_PREFIX, ttlMs: 0 }),
  awsCredentials: () => secretsManager.config.credentials(),
});
