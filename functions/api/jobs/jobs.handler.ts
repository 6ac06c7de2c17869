import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { loadEnv } from '#config/env';
import { composeJobs } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';

// Composition root of the deployed jobs function: the one composition (`composeJobs`), with DynamoDB only. Events,
// dispatch requests and approval flow signals go through the table's outbox: no EventBridge or Step Functions client.
const env = loadEnv(jobsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeJobs(env, { doc, events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME) });
