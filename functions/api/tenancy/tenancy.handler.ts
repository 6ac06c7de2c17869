import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { systemClock } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createTenancyHandler } from './tenancy.app';
import { tenancyEnvSchema } from './tenancy.env';

// Composition root of the deployed tenancy function: clients are built once per cold start, nothing else runs.
const env = loadEnv(tenancyEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const tenancy = new DynamoTenancyRepository(doc, env.QM_TABLE_NAME, access.orgStatus);

export const handler = createTenancyHandler({
  ...access,
  tenancy,
  users: new DynamoUserDirectory(doc, env.QM_TABLE_NAME),
  clock: systemClock,
});
