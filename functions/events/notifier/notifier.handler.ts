import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { unconfiguredEmailTransport } from '#adapters/email/unconfigured-email.client';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { SqsEmailQueue } from '#adapters/sqs/sqs-email-queue.client';
import { SqsRedelivery } from '#adapters/sqs/sqs-redelivery.client';
import { loadEnv } from '#config/env';
import { composeNotifier } from './notifier.app';
import { notifierEnvSchema } from './notifier.env';

// Composition root of the notifier function: the one composition (`composeNotifier`) with the AWS clients.
// `system.webhook_failure` goes to the table's outbox (the relay puts it on the bus): no EventBridge client.
// Email goes to the email queue (the email sender function holds the SES client): no SES client here, which
// keeps this bundle within the cold-start budget (docs/budgets.md).
const env = loadEnv(notifierEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const sqs = new SQSClient(boundedAwsClientConfig());

export const handler = composeNotifier(env, {
  doc,
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  email: env.QM_EMAIL_FROM && env.QM_EMAIL_QUEUE_URL ? new SqsEmailQueue(sqs, env.QM_EMAIL_QUEUE_URL) : unconfiguredEmailTransport,
  redelivery: new SqsRedelivery(sqs, env.QM_NOTIFICATION_QUEUE_URL),
  log: getLogger(),
});
