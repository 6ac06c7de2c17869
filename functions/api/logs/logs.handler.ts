import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudWatchJobLogReader } from '#adapters/cloudwatch-logs/cloudwatch-job-log.client';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { lazyKubeAdapters, lazyKubeLogs } from '#adapters/kubernetes/kube-lazy';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { systemClock } from '#adapters/runtime/system-runtime';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { parseBackends } from '#config/backends';
import { loadEnv } from '#config/env';
import { composeLogs } from './logs.app';
import { logsEnvSchema } from './logs.env';

// Composition root of the job-output function: the one composition (`composeLogs`), with DynamoDB and CloudWatch
// Logs (ECS jobs), and pod logs for Kubernetes jobs when the stage offers that backend (the Kubernetes client is
// loaded on the first such read, so ECS reads never initialise it).
const env = loadEnv(logsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const reader = new CloudWatchJobLogReader({ logs: new CloudWatchLogsClient(boundedAwsClientConfig()), logGroup: env.QM_JOB_LOG_GROUP });
const podLogs = parseBackends(env.QM_BACKENDS, false).includes('kubernetes')
  ? (() => {
      const secretsManager = new SecretsManagerClient(boundedAwsClientConfig());
      const secrets = new SecretsManagerStore(secretsManager, { namePrefix: env.QM_SECRET_NAME_PREFIX, ttlMs: 0 });
      const edges = { secrets, awsCredentials: () => secretsManager.config.credentials() };
      return lazyKubeLogs(lazyKubeAdapters(doc, env.QM_TABLE_NAME, edges, { localStack: false, clock: systemClock }));
    })()
  : undefined;

export const handler = composeLogs(env, { doc, jobOutput: (job) => (job.backend === 'kubernetes' && podLogs ? podLogs : reader) });
