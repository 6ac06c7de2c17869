import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { composeApprovals } from './approvals.app';
import { approvalsEnvSchema } from './approvals.env';

// Composition root of the deployed approvals function: the one composition (`composeApprovals`), with DynamoDB,
// EventBridge and Step Functions (task tokens name their own execution: ending a wait needs no ARN).
const env = loadEnv(approvalsEnvSchema);

export const handler = composeApprovals(env, {
  doc: createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  taskTokens: new StepFunctionsTaskTokens(new SFNClient(boundedAwsClientConfig())),
});
