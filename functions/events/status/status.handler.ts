import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { createStatusHandler } from './status.app';
import { statusEnvSchema } from './status.env';

const env = loadEnv(statusEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = createStatusHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
});
