import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { systemClock } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createTemplatesHandler } from './templates.app';
import { templatesEnvSchema } from './templates.env';

// Composition root of the deployed templates function: clients are built once per cold start, nothing else runs.
const env = loadEnv(templatesEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createTemplatesHandler({
  templates: new DynamoTemplateRepository(doc, env.QM_TABLE_NAME),
  teams: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  principalGate,
  audit,
});
