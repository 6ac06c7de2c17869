import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeClusters } from './clusters.app';
import { clustersEnvSchema } from './clusters.env';

// Composition root of the clusters function: the one composition (`composeClusters`), with Secrets Manager.
const env = loadEnv(clustersEnvSchema);

export const handler = composeClusters(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
});
