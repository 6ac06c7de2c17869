import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeHealth } from './health.app';
import { healthEnvSchema } from './health.env';

const env = loadEnv(healthEnvSchema);

export const handler = composeHealth(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
