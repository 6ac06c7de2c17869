import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoIdentityProviderRepository } from '#adapters/dynamodb/dynamo-identity-provider.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { systemClock } from '#adapters/runtime/system-runtime';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.store';
import { loadEnv } from '#config/env';
import { cognitoIssuer } from '#domain/identity/provider-uniqueness';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createIdentityHandler } from './identity.app';
import { identityEnvSchema } from './identity.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

const env = loadEnv(identityEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit, levels, orgStatus } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createIdentityHandler(
  {
    providers: new DynamoIdentityProviderRepository(doc, env.QM_TABLE_NAME),
    secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
    audit,
    clock: systemClock,
    allowInsecure: false,
    apiBaseUrl: env.QM_API_BASE_URL,
    tenancy: new DynamoTenancyRepository(doc, env.QM_TABLE_NAME, orgStatus),
    levels,
    reservedIssuers: [env.QM_API_BASE_URL, ...(env.QM_COGNITO_USER_POOL_ID ? [cognitoIssuer(env.QM_COGNITO_USER_POOL_ID)] : [])],
  },
  { principalGate, audit },
);
