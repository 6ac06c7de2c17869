import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '../../../shared/adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '../../../shared/adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '../../../shared/adapters/dynamodb/dynamo-limits.source';
import { DynamoQuotaRepository } from '../../../shared/adapters/dynamodb/dynamo-quota.repository';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { EventDispatchQueue } from '../../../shared/adapters/events/event-dispatch-queue';
import { loadEnv } from '../../../shared/config/env';
import { parseBackends } from '../../../shared/config/backends';
import { DynamoResourceRuleRepository } from '../../../shared/adapters/dynamodb/dynamo-resource-rule.repository';
import { DynamoTemplateRepository } from '../../../shared/adapters/dynamodb/dynamo-template.repository';
import { QueueBusyHint } from '../../../shared/domain/jobs/queue-hint';
import { dynamoApiAccess } from '../api-access';
import { createJobsHandler } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';

// Composition root of the deployed jobs function: clients are built once per cold start, nothing else runs.
const env = loadEnv(jobsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const events = new EventBridgePublisher(new EventBridgeClient({}), env.QM_EVENT_BUS_NAME);
const ids = ulidSource();
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createJobsHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  quotas: new DynamoQuotaRepository(doc, env.QM_TABLE_NAME),
  limits: new DynamoLimitsSource(doc, env.QM_TABLE_NAME, {
    maxConcurrent: env.QM_MAX_CONCURRENT,
    userMaxConcurrent: env.QM_USER_MAX_CONCURRENT,
  }),
  hardware: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME),
  events,
  dispatch: new EventDispatchQueue(events, ids, systemClock),
  clock: systemClock,
  ids,
  backends: parseBackends(env.QM_BACKENDS, env.QM_LOCAL_STACK === 'true'),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
  templates: new DynamoTemplateRepository(doc, env.QM_TABLE_NAME),
  resourceRules: new DynamoResourceRuleRepository(doc, env.QM_TABLE_NAME),
  queueHint: new QueueBusyHint(),
  principalGate: access.principalGate,
  audit: access.audit,
});
