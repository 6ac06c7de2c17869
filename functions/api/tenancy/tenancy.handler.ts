import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { systemClock } from '../../../shared/adapters/runtime/system-runtime';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { createTenancyHandler } from './tenancy.app';
import { tenancyEnvSchema } from './tenancy.env';

// Composition root of the deployed tenancy function: clients are built once per cold start, nothing else runs.
const env = loadEnv(tenancyEnvSchema);
const access = dynamoApiAccess(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME, env);

export const handler = createTenancyHandler({ ...access, clock: systemClock });
