import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeCatalog } from './catalog.app';
import { catalogEnvSchema } from './catalog.env';

// Composition root of the deployed catalog function: the one composition (`composeCatalog`), with the DynamoDB client.
const env = loadEnv(catalogEnvSchema);

export const handler = composeCatalog(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
