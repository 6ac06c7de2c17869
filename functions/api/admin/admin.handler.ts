import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeAdmin } from './admin.app';
import { adminEnvSchema } from './admin.env';

// Composition root of the deployed admin function: the one composition (`composeAdmin`), with the DynamoDB client.
const env = loadEnv(adminEnvSchema);

export const handler = composeAdmin(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
