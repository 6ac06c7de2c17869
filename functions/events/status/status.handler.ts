import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { createStatusHandler } from './status.app';
import { statusEnvSchema } from './status.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

const env = loadEnv(statusEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = createStatusHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  clock: systemClock,
  ids: ulidSource(),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
});
