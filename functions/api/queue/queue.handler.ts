import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.source';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { systemClock } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createQueueHandler } from './queue.app';
import { queueEnvSchema } from './queue.env';

const env = loadEnv(queueEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createQueueHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  fairShare: new DynamoFairShareSource(doc, env.QM_TABLE_NAME),
  scheduling: new DynamoSchedulingSettings(doc, env.QM_TABLE_NAME),
  teams: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  principalGate,
  audit,
});
