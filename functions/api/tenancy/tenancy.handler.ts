import { DynamoUserDirectory } from '../../../shared/adapters/dynamodb/dynamo-user-directory.repository';
import { DynamoTenancyRepository } from '../../../shared/adapters/dynamodb/dynamo-tenancy.repository';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { systemClock } from '../../../shared/adapters/runtime/system-runtime';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
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
