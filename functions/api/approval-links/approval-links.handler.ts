import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import { loadEnv } from '#config/env';
import { composeApprovalLinks } from './approval-links.app';
import { approvalLinksEnvSchema } from './approval-links.env';

// Composition root of the deployed approval-links function: the one composition (`composeApprovalLinks`), with
// DynamoDB (events, and the flow signal that ends the flow's wait, through its outbox) and Secrets Manager (the link
// key, read once and cached).
const env = loadEnv(approvalLinksEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeApprovalLinks(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  // Read-only here: nothing is ever written through this store.
  secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: 'quartermaster/' }),
});
