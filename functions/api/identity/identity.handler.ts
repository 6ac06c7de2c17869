import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { dynamoIdentityStores } from '../../../shared/adapters/dynamodb/identity-stores';
import { getLogger } from '../../../shared/adapters/logging/logger';
import { LoggerAuditLog } from '../../../shared/adapters/logging/logger-audit.log';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { SecretsManagerStore } from '../../../shared/adapters/secrets/secrets-manager.store';
import { loadEnv } from '../../../shared/config/env';
import { createIdentityHandler } from './identity.app';
import { identityEnvSchema } from './identity.env';

const env = loadEnv(identityEnvSchema);
const stores = dynamoIdentityStores(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME);

export const handler = createIdentityHandler({
  ...stores,
  secrets: new SecretsManagerStore(new SecretsManagerClient({}), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
  audit: new LoggerAuditLog(getLogger()),
  clock: systemClock,
  ids: ulidSource(),
  allowInsecure: false,
  apiBaseUrl: env.QM_API_BASE_URL,
});
