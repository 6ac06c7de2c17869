import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { dynamoReadinessProbe } from '#adapters/dynamodb/dynamo-health.probe';
import { loadEnv } from '#config/env';
import { createHealthHandler } from './health.app';
import { healthEnvSchema } from './health.env';

const env = loadEnv(healthEnvSchema);

export const handler = createHealthHandler({
  checkDatabase: dynamoReadinessProbe(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME),
});
