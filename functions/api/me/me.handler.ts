import { DynamoApiKeyRepository } from '#adapters/dynamodb/dynamo-api-key.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoUserRepository } from '#adapters/dynamodb/dynamo-user.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createMeHandler } from './me.app';
import { meEnvSchema } from './me.env';

// Composition root of `/v1/me` and API keys: DynamoDB only.
const env = loadEnv(meEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createMeHandler(
  {
    users: new DynamoUserRepository(doc, env.QM_TABLE_NAME),
    apiKeys: new DynamoApiKeyRepository(doc, env.QM_TABLE_NAME),
    audit,
    clock: systemClock,
    ids: ulidSource(),
  },
  { principalGate, audit },
);
