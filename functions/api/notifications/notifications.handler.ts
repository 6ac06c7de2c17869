import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeNotifications } from './notifications.app';
import { notificationsEnvSchema } from './notifications.env';

// Composition root of the notification-channels function: the one composition (`composeNotifications`), with Secrets Manager.
const env = loadEnv(notificationsEnvSchema);

export const handler = composeNotifications(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
});
