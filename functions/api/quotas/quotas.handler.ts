import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeQuotas } from './quotas.app';
import { quotasEnvSchema } from './quotas.env';

// Composition root of the deployed quotas function: the one composition (`composeQuotas`), with the DynamoDB client.
const env = loadEnv(quotasEnvSchema);

export const handler = composeQuotas(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
