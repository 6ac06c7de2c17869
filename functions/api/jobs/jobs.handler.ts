import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsApprovalFlows, StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { composeJobs } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';

// Composition root of the deployed jobs function: the one composition (`composeJobs`), with DynamoDB (events go
// through the table's outbox: no EventBridge client) and Step Functions (a held job starts its approval flow; cancelling it ends the flow's wait).
const env = loadEnv(jobsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const sfn = new SFNClient(boundedAwsClientConfig());

export const handler = composeJobs(env, {
  doc,
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  approvalFlows: new StepFunctionsApprovalFlows(sfn, env.QM_APPROVAL_STATE_MACHINE_ARN),
  taskTokens: new StepFunctionsTaskTokens(sfn),
});
