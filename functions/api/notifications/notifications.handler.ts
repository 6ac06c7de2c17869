import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesV2EmailTransport, unconfiguredEmailTransport } from '#adapters/email/sesv2-email.client';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeNotifications } from './notifications.app';
import { notificationsEnvSchema } from './notifications.env';

// Composition root of the notification-channels function: the one composition (`composeNotifications`), with
// Secrets Manager and SES v2 (the test route sends email from the stage's verified sender).
const env = loadEnv(notificationsEnvSchema);

export const handler = composeNotifications(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  email: env.QM_EMAIL_FROM
    ? new SesV2EmailTransport(new SESv2Client(boundedAwsClientConfig({ requestTimeoutMs: env.QM_NOTIFY_TIMEOUT_MS })), env.QM_EMAIL_FROM)
    : unconfiguredEmailTransport,
});
