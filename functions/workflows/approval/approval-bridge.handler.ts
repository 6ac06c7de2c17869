import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsApprovalFlows, StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { createApprovalBridge } from './approval-bridge.app';
import { approvalBridgeEnvSchema } from './approval-bridge.env';

// Composition root of the approval bridge: DynamoDB (the request and its token) and Step Functions (start an
// execution, end a wait). The API functions record flow signals in the outbox and hold neither client nor right.
const env = loadEnv(approvalBridgeEnvSchema);
const sfn = new SFNClient(boundedAwsClientConfig());

export const handler = createApprovalBridge({
  approvals: new DynamoApprovalRepository(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME),
  flows: new StepFunctionsApprovalFlows(sfn, env.QM_APPROVAL_STATE_MACHINE_ARN),
  tokens: new StepFunctionsTaskTokens(sfn),
  logger: getLogger(),
});
