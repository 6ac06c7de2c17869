import { SFNClient } from '@aws-sdk/client-sfn';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { getLogger } from '#adapters/logging/logger';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { StepFunctionsApprovalFlows } from '#adapters/stepfunctions/sfn-approval-flows.client';
import { loadEnv } from '#config/env';
import { createApprovalRedrive } from './approval-redrive.app';
import { approvalRedriveEnvSchema } from './approval-redrive.env';

// Composition root of the scheduled approval re-drive: DynamoDB (waiting jobs) and Step Functions (running executions, starts).
const env = loadEnv(approvalRedriveEnvSchema);

export const handler = createApprovalRedrive({
  jobs: new DynamoJobRepository(createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT }), env.QM_TABLE_NAME),
  flows: new StepFunctionsApprovalFlows(new SFNClient(boundedAwsClientConfig()), env.QM_APPROVAL_STATE_MACHINE_ARN),
  logger: getLogger(),
});
