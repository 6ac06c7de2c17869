import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { DynamoIdentityProviderRepository } from '../../../shared/adapters/dynamodb/dynamo-identity-provider.repository';
import { systemClock } from '../../../shared/adapters/runtime/system-runtime';
import { SecretsManagerStore } from '../../../shared/adapters/secrets/secrets-manager.store';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { createIdentityHandler } from './identity.app';
import { identityEnvSchema } from './identity.env';

const env = loadEnv(identityEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createIdentityHandler(
  {
    providers: new DynamoIdentityProviderRepository(doc, env.QM_TABLE_NAME),
    secrets: new SecretsManagerStore(new SecretsManagerClient({}), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
    audit,
    clock: systemClock,
    allowInsecure: false,
    apiBaseUrl: env.QM_API_BASE_URL,
  },
  { principalGate, audit },
);
