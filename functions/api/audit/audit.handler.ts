import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit.trail';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createAuditHandler } from './audit.app';
import { auditEnvSchema } from './audit.env';

// Composition root of the deployed audit function: the log it reads is the one every function appends to.
const env = loadEnv(auditEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createAuditHandler({ trail: new DynamoAuditTrail(doc, env.QM_TABLE_NAME), principalGate, audit });
