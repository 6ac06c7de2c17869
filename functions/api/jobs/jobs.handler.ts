import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher';
import { EventDispatchQueue } from '#adapters/events/event-dispatch-queue';
import { loadEnv } from '#config/env';
import { QueueBusyHint } from '#domain/jobs/queue-hint';
import { dynamoApiAccess } from '#functions/api/api-access';
import { dynamoSubmissionReads } from '#functions/api/submission-reads';
import { createJobsHandler } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

// Composition root of the deployed jobs function: clients are built once per cold start, nothing else runs.
const env = loadEnv(jobsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const events = new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME);
const reads = dynamoSubmissionReads(doc, env.QM_TABLE_NAME, env);
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createJobsHandler({
  ...reads,
  events,
  dispatch: new EventDispatchQueue(events, reads.ids, reads.clock),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
  templates: new DynamoTemplateRepository(doc, env.QM_TABLE_NAME),
  queueHint: new QueueBusyHint(),
  principalGate: access.principalGate,
  audit: access.audit,
});
