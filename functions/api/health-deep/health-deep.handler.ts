import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { composeHealthDeep } from './health-deep.app';
import { healthDeepEnvSchema } from './health-deep.env';

// Composition root of the deep health function: the one composition (`composeHealthDeep`). Secrets Manager
// (generic clusters' credentials) and the role's credentials for EKS tokens are built inside the Kubernetes
// file, loaded with the first cluster to check (kube-lazy.ts).
const env = loadEnv(healthDeepEnvSchema);

export const handler = composeHealthDeep(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  secretsManager: { namePrefix: env.QM_SECRET_NAME_PREFIX },
});
