import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '../../../shared/adapters/dynamodb/dynamo-job.repository';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { loadEnv } from '../../../shared/config/env';
import { createStatusHandler } from './status.app';
import { statusEnvSchema } from './status.env';

const env = loadEnv(statusEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = createStatusHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  events: new EventBridgePublisher(new EventBridgeClient({}), env.QM_EVENT_BUS_NAME),
  clock: systemClock,
  ids: ulidSource(),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
});
