import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsApprovalFlows, StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { composeJobs } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';

// Composition root of the deployed jobs function: the one composition (`composeJobs`), with DynamoDB, EventBridge
// and Step Functions (a held job starts its approval flow; cancelling it ends the flow's wait).
const env = loadEnv(jobsEnvSchema);
const sfn = new SFNClient(boundedAwsClientConfig());

export const handler = composeJobs(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  approvalFlows: new StepFunctionsApprovalFlows(sfn, env.QM_APPROVAL_STATE_MACHINE_ARN),
  taskTokens: new StepFunctionsTaskTokens(sfn),
});
