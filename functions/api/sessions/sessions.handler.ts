import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { KmsTokenSigner } from '#adapters/kms/kms-token-signer.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { loadEnv } from '#config/env';
import { composeSessions } from './sessions.app';
import { sessionsEnvSchema } from './sessions.env';

// Composition root of the sessions function (refresh, JWKS): DynamoDB, KMS and the bus; no IdP libraries.
const env = loadEnv(sessionsEnvSchema);

export const handler = composeSessions(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  signer: new KmsTokenSigner(new KMSClient(boundedAwsClientConfig()), env.QM_SESSION_KMS_KEY_ID),
});
