import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchJobLogReader } from '#adapters/cloudwatch-logs/cloudwatch-job-log-reader';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createLogsHandler } from './logs.app';
import { logsEnvSchema } from './logs.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

// Composition root of the job-output function: clients are built once per cold start, nothing else runs.
const env = loadEnv(logsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const reader = new CloudWatchJobLogReader({ logs: new CloudWatchLogsClient(boundedAwsClientConfig()), logGroup: env.QM_JOB_LOG_GROUP });

export const handler = createLogsHandler({
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  logs: () => reader,
  principalGate,
  audit,
});
