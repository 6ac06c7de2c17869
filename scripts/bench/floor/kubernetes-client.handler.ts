import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node/dist/gen/index.js';

/**
 * A REFERENCE POINT, not a floor: what every function that talks to Kubernetes clusters cannot do without,
 * and nothing of Quartermaster: DynamoDB (the cluster registration), Secrets Manager (a generic cluster's
 * credential) and @kubernetes/client-node (a named dependency of the design; with its HTTP stack, undici, it
 * alone is several times the GetItem floor's bundle), imported from its module files as the adapter does
 * (shared/adapters/kubernetes/kube-connection.ts). The bench prints its ratio to the floor beside the
 * Kubernetes functions': kube-poller carries the client in its cold start; the dispatcher, job output, the
 * clusters API and deep health load it on first use from a second file (docs/architecture.md), whose import
 * the bench times as well.
 */
const dynamo = new DynamoDBClient({});
const secrets = new SecretsManagerClient({});

export const handler = async (event: { cluster: string }) => {
  await dynamo.send(new GetItemCommand({ TableName: 'reference', Key: { pk: { S: 'CLUSTERS' }, sk: { S: event.cluster } } }));
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'reference' }));
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://k8s.invalid', skipTLSVerify: false }],
    users: [{ name: 'u', token: secret.SecretString ?? '' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const [jobs, pods] = await Promise.all([
    config.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: 'research' }),
    config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'research' }),
  ]);
  return jobs.items.length + pods.items.length;
};
