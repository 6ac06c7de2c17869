import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeTemplates } from './templates.app';
import { templatesEnvSchema } from './templates.env';

// Composition root of the deployed templates function: the one composition (`composeTemplates`), with the DynamoDB client.
const env = loadEnv(templatesEnvSchema);

export const handler = composeTemplates(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
