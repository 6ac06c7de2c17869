import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeTenancy } from './tenancy.app';
import { tenancyEnvSchema } from './tenancy.env';

// Composition root of the deployed tenancy function: the one composition (`composeTenancy`), with the DynamoDB client.
const env = loadEnv(tenancyEnvSchema);

export const handler = composeTenancy(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
