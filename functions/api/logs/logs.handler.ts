import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchJobLogReader } from '#adapters/cloudwatch-logs/cloudwatch-job-log.client';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { loadEnv } from '#config/env';
import { composeLogs } from './logs.app';
import { logsEnvSchema } from './logs.env';

// Composition root of the job-output function: the one composition (`composeLogs`), with DynamoDB and CloudWatch Logs.
const env = loadEnv(logsEnvSchema);
const reader = new CloudWatchJobLogReader({ logs: new CloudWatchLogsClient(boundedAwsClientConfig()), logGroup: env.QM_JOB_LOG_GROUP });

export const handler = composeLogs(env, { doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), jobOutput: () => reader });
