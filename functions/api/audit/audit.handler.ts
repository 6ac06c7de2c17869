import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeAudit } from './audit.app';
import { auditEnvSchema } from './audit.env';

// Composition root of the deployed audit function: the one composition (`composeAudit`), with the DynamoDB client.
const env = loadEnv(auditEnvSchema);

export const handler = composeAudit(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }) });
