import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { DynamoRefreshTokenStore } from '../../../shared/adapters/dynamodb/dynamo-session.store';
import { DynamoUserRepository } from '../../../shared/adapters/dynamodb/dynamo-user.repository';
import { EventBridgePublisher } from '../../../shared/adapters/eventbridge/eventbridge-publisher';
import { systemClock, ulidSource } from '../../../shared/adapters/runtime/system-runtime';
import { loadEnv } from '../../../shared/config/env';
import { dynamoApiAccess } from '../api-access';
import { kmsSessions } from '../auth/kms-sessions';
import { createSessionsHandler } from './sessions.app';
import { sessionsEnvSchema } from './sessions.env';

// Composition root of the session function (refresh, JWKS): DynamoDB, KMS and the bus; no IdP libraries.
const env = loadEnv(sessionsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);
const ids = ulidSource();

export const handler = createSessionsHandler({
  audit,
  events: new EventBridgePublisher(new EventBridgeClient({}), env.QM_EVENT_BUS_NAME),
  clock: systemClock,
  ids,
  sessions: kmsSessions(
    env,
    { refreshTokens: new DynamoRefreshTokenStore(doc, env.QM_TABLE_NAME), users: new DynamoUserRepository(doc, env.QM_TABLE_NAME) },
    { clock: systemClock, ids },
  ),
});
