import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { loadEnv } from '#config/env';
import { composeApprovals } from './approvals.app';
import { approvalsEnvSchema } from './approvals.env';

// Composition root of the deployed approvals function: the one composition (`composeApprovals`), with DynamoDB only.
// A decision's events and the signal that ends the flow's wait go through the table's outbox (no Step Functions client).
const env = loadEnv(approvalsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeApprovals(env, { doc, events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME) });
