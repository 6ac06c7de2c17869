import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { loadEnv } from '#config/env';
import { createApprovalSteps } from './approval-steps.app';
import { approvalStepsEnvSchema } from './approval-steps.env';

// Composition root of the approval flow's step function: clients are built once per cold start.
const env = loadEnv(approvalStepsEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = createApprovalSteps({
  approvals: new DynamoApprovalRepository(doc, env.QM_TABLE_NAME),
  jobs: new DynamoJobRepository(doc, env.QM_TABLE_NAME),
  events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
  clock: systemClock,
  ids: ulidSource(),
  retentionDays: env.QM_JOB_RETENTION_DAYS,
});
