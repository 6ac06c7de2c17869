import { DynamoAuditTrail } from '../../../shared/adapters/dynamodb/dynamo-audit.trail';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { createAuditHandler } from './audit.app';
import { auditEnvSchema } from './audit.env';

// Composition root of the deployed audit function: the log it reads is the one every function appends to.
const env = loadEnv(auditEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createAuditHandler({ trail: new DynamoAuditTrail(doc, env.QM_TABLE_NAME), principalGate, audit });
