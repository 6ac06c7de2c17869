import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoCurrentUsers } from '#adapters/dynamodb/dynamo-current-users';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.source';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUsageRepository } from '#adapters/dynamodb/dynamo-usage.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createQuotasHandler } from './quotas.app';
import { quotasEnvSchema } from './quotas.env';

const env = loadEnv(quotasEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit, levels } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createQuotasHandler({
  quotas: new DynamoQuotaRepository(doc, env.QM_TABLE_NAME),
  limits: new DynamoLimitsSource(doc, env.QM_TABLE_NAME, {
    maxConcurrent: env.QM_MAX_CONCURRENT,
    userMaxConcurrent: env.QM_USER_MAX_CONCURRENT,
  }),
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  usage: new DynamoUsageRepository(doc, env.QM_TABLE_NAME),
  teams: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME),
  users: new DynamoCurrentUsers(doc, env.QM_TABLE_NAME),
  levels,
  principalGate,
  audit,
  clock: systemClock,
  ids: ulidSource(),
});
