import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeQueue } from './queue.app';
import { queueEnvSchema } from './queue.env';

// Composition root of the deployed queue function: the one composition (`composeQueue`), with the DynamoDB client.
const env = loadEnv(queueEnvSchema);

export const handler = composeQueue(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
