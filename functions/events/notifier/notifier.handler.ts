import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { SesV2EmailTransport, unconfiguredEmailTransport } from '#adapters/email/sesv2-email.client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { composeNotifier } from './notifier.app';
import { notifierEnvSchema } from './notifier.env';

// Composition root of the notifier function: the one composition (`composeNotifier`) with the AWS clients.
const env = loadEnv(notifierEnvSchema);
const sqs = new SQSClient(boundedAwsClientConfig());

export const handler = composeNotifier(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  email: env.QM_EMAIL_FROM
    ? new SesV2EmailTransport(new SESv2Client(boundedAwsClientConfig({ requestTimeoutMs: env.QM_NOTIFY_TIMEOUT_MS })), env.QM_EMAIL_FROM)
    : unconfiguredEmailTransport,
  redelivery: new SqsRedelivery(sqs, env.QM_NOTIFICATION_QUEUE_URL),
  log: getLogger(),
});
