import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeClusters } from './clusters.app';
import { clustersEnvSchema } from './clusters.env';

// Composition root of the clusters function: the one composition (`composeClusters`), with Secrets Manager.
const env = loadEnv(clustersEnvSchema);

const secretsManager = new SecretsManagerClient(boundedAwsClientConfig());

export const handler = composeClusters(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(secretsManager, { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  // The SDK's default provider chain (the function role), as resolved by the client: signs EKS tokens.
  awsCredentials: () => secretsManager.config.credentials(),
});
