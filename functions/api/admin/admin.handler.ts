import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createAdminHandler } from './admin.app';
import { adminEnvSchema } from './admin.env';

// Composition root of the deployed admin function: clients are built once per cold start, nothing else runs.
const env = loadEnv(adminEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createAdminHandler({
  ...access,
  tenancy: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME, access.orgStatus),
  users: new DynamoUserDirectory(doc, env.QM_TABLE_NAME),
  rules: new DynamoResourceRuleRepository(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
});
