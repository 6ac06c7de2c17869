import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { DynamoApprovalRuleRepository } from '#adapters/dynamodb/dynamo-approval-rule.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { EventBridgePublisher } from '#adapters/eventbridge/eventbridge-publisher';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { lambdaEnvironmentCredentials, StepFunctionsTaskTokens } from '#adapters/stepfunctions/sfn-approval-flows';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createApprovalsHandler } from './approvals.app';
import { approvalsEnvSchema } from './approvals.env';

// Composition root of the deployed approvals function: clients are built once per cold start, nothing else runs.
const env = loadEnv(approvalsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createApprovalsHandler({
  approvalRules: new DynamoApprovalRuleRepository(doc, env.QM_TABLE_NAME),
  approvals: new DynamoApprovalRepository(doc, env.QM_TABLE_NAME),
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  events: new EventBridgePublisher(new EventBridgeClient(boundedAwsClientConfig()), env.QM_EVENT_BUS_NAME),
  // Task tokens name their own execution: ending a wait needs no state machine ARN.
  tokens: new StepFunctionsTaskTokens({ region: process.env.AWS_REGION ?? 'us-east-1', credentials: () => lambdaEnvironmentCredentials() }),
  levels: access.levels,
  clock: systemClock,
  ids: ulidSource(),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
  principalGate: access.principalGate,
  audit: access.audit,
});
