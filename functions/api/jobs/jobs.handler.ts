import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import {
  lambdaEnvironmentCredentials,
  StepFunctionsApprovalFlows,
  StepFunctionsTaskTokens,
} from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { composeJobs } from './jobs.app';
import { jobsEnvSchema } from './jobs.env';

// Composition root of the deployed jobs function: the one composition (`composeJobs`), with DynamoDB and EventBridge.
const env = loadEnv(jobsEnvSchema);
// Step Functions calls are signed with the function's role credentials (see the adapter): no SDK client.
const stepFunctions = { region: process.env.AWS_REGION ?? 'us-east-1', credentials: () => lambdaEnvironmentCredentials() };

export const handler = composeJobs(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  approvalFlows: new StepFunctionsApprovalFlows(env.QM_APPROVAL_STATE_MACHINE_ARN, stepFunctions),
  taskTokens: new StepFunctionsTaskTokens(stepFunctions),
});
