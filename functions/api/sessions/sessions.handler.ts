import { KMSClient } from '@aws-sdk/client-kms';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { KmsTokenSigner } from '#adapters/kms/kms-token-signer.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { loadEnv } from '#config/env';
import { composeSessions } from './sessions.app';
import { sessionsEnvSchema } from './sessions.env';

// Composition root of the sessions function (refresh, JWKS): DynamoDB (events through its outbox) and KMS; no IdP
// libraries.
const env = loadEnv(sessionsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeSessions(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  signer: new KmsTokenSigner(new KMSClient(boundedAwsClientConfig()), env.QM_SESSION_KMS_KEY_ID),
});
