import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeMe } from './me.app';
import { meEnvSchema } from './me.env';

// Composition root of the deployed me function: the one composition (`composeMe`), with the DynamoDB client.
const env = loadEnv(meEnvSchema);

export const handler = composeMe(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
