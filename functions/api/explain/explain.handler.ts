import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '../../../shared/adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '../../../shared/adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '../../../shared/adapters/dynamodb/dynamo-limits.source';
import { DynamoQuotaRepository } from '../../../shared/adapters/dynamodb/dynamo-quota.repository';
import { DynamoResourceRuleRepository } from '../../../shared/adapters/dynamodb/dynamo-resource-rule.repository';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { parseBackends } from '../../../shared/config/backends';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { createExplainHandler } from './explain.app';
import { explainEnvSchema } from './explain.env';

// Composition root of the deployed dry-run function: the same stores and settings as the jobs function, minus the event bus.
const env = loadEnv(explainEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createExplainHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  quotas: new DynamoQuotaRepository(doc, env.QM_TABLE_NAME),
  limits: new DynamoLimitsSource(doc, env.QM_TABLE_NAME, {
    maxConcurrent: env.QM_MAX_CONCURRENT,
    userMaxConcurrent: env.QM_USER_MAX_CONCURRENT,
  }),
  hardware: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
  backends: parseBackends(env.QM_BACKENDS, env.QM_LOCAL_STACK === 'true'),
  resourceRules: new DynamoResourceRuleRepository(doc, env.QM_TABLE_NAME),
  principalGate: access.principalGate,
  audit: access.audit,
});
