import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoRefreshTokenStore } from '#adapters/dynamodb/dynamo-session.store';
import { DynamoUserRepository } from '#adapters/dynamodb/dynamo-user.repository';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { kmsSessions } from '#functions/api/auth/kms-sessions';
import { createSessionsHandler } from './sessions.app';
import { sessionsEnvSchema } from './sessions.env';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

// Composition root of the session function (refresh, JWKS): DynamoDB, KMS and the bus; no IdP libraries.
const env = loadEnv(sessionsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const ids = ulidSource();

export const handler = createSessionsHandler({
  audit,
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  clock: systemClock,
  ids,
  sessions: kmsSessions(
    env,
    { refreshTokens: new DynamoRefreshTokenStore(doc, env.QM_TABLE_NAME), users: new DynamoUserRepository(doc, env.QM_TABLE_NAME) },
    { clock: systemClock, ids },
  ),
});
