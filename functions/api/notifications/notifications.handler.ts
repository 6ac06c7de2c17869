import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeNotifications } from './notifications.app';
import { notificationsEnvSchema } from './notifications.env';

// Composition root of the notification-channels function: the one composition (`composeNotifications`), with
// Secrets Manager (channel secrets are written there) and the table's outbox (a channel test is a `system.test`
// event the notifier delivers). No SES client and no outbound HTTP here: sending is the notifier's job.
const env = loadEnv(notificationsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeNotifications(env, {
  doc,
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
});
