import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeExplain } from './explain.app';
import { explainEnvSchema } from './explain.env';

// Composition root of the deployed explain function: the one composition (`composeExplain`), with the DynamoDB client.
const env = loadEnv(explainEnvSchema);

export const handler = composeExplain(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
