import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoFairShareSource } from '#adapters/dynamodb/dynamo-fair-share.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.repository';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { EventDispatchQueue } from '#adapters/events/event-dispatch-queue.client';
import { loadEnv } from '#config/env';
import { createScheduler } from './scheduler.app';
import { schedulerEnvSchema } from './scheduler.env';

const env = loadEnv(schedulerEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const events = new DynamoEventOutbox(doc, env.QM_TABLE_NAME);
const ids = ulidSource();

export const handler = createScheduler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  quotas: new DynamoQuotaRepository(doc, env.QM_TABLE_NAME),
  limits: new DynamoLimitsSource(doc, env.QM_TABLE_NAME, {
    maxConcurrent: env.QM_MAX_CONCURRENT,
    userMaxConcurrent: env.QM_USER_MAX_CONCURRENT,
  }),
  dispatch: new EventDispatchQueue(events, ids, systemClock),
  events,
  clock: systemClock,
  ids,
  fairShare: new DynamoFairShareSource(doc, env.QM_TABLE_NAME),
  scheduling: new DynamoSchedulingSettings(doc, env.QM_TABLE_NAME),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
});
