import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchJobLogReader } from '#adapters/cloudwatch-logs/cloudwatch-job-log.client';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { lazyKubeAdapters, lazyKubeLogs } from '#adapters/kubernetes/kube-lazy';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { systemClock } from '#adapters/runtime/system-runtime';
import { parseBackends } from '#config/backends';
import { loadEnv } from '#config/env';
import { composeLogs } from './logs.app';
import { logsEnvSchema } from './logs.env';

// Composition root of the job-output function: the one composition (`composeLogs`), with DynamoDB and CloudWatch
// Logs (ECS jobs), and pod logs for Kubernetes jobs when the stage offers that backend (the Kubernetes adapters are
// loaded from their own file on the first such read, kube-lazy.ts, so ECS reads never load the client).
const env = loadEnv(logsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const reader = new CloudWatchJobLogReader({ logs: new CloudWatchLogsClient(boundedAwsClientConfig()), logGroup: env.QM_JOB_LOG_GROUP });
const podLogs = parseBackends(env.QM_BACKENDS, false).includes('kubernetes')
  ? lazyKubeLogs(
      lazyKubeAdapters(
        new DynamoClusterRepository(doc, env.QM_TABLE_NAME),
        { secretsManager: { namePrefix: env.QM_SECRET_NAME_PREFIX } }, // the client is built inside the Kubernetes file
        { localStack: false, clock: systemClock },
      ),
    )
  : undefined;

export const handler = composeLogs(env, { doc, jobOutput: (job) => (job.backend === 'kubernetes' && podLogs ? podLogs : reader) });
