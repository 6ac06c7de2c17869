import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { composeApprovals } from './approvals.app';
import { approvalsEnvSchema } from './approvals.env';

// Composition root of the deployed approvals function: the one composition (`composeApprovals`), with DynamoDB
// (events through its outbox) and Step Functions (task tokens name their own execution: ending a wait needs no ARN).
const env = loadEnv(approvalsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = composeApprovals(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  taskTokens: new StepFunctionsTaskTokens(new SFNClient(boundedAwsClientConfig())),
});
