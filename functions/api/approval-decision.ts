import { DynamoApprovalRepository } from '#adapters/dynamodb/dynamo-approval.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import type { ApprovalsDeps } from '#domain/approvals/approvals.service';
import type { EventPublisher } from '#domain/events/events.port';
import type { BaseEnv } from '#config/env';
import type { ApiRuntime, composeApiAccess } from './api-access';

/**
 * What deciding an approval request needs, composed once for the two functions that decide one: approvals
 * (the API) and approval-links (the email links), so that a link decides exactly as the API does.
 */
export function approvalDecisionDeps(
  env: Pick<BaseEnv, 'QM_TABLE_NAME' | 'QM_JOB_RETENTION_DAYS'>,
  runtime: ApiRuntime & { events: EventPublisher },
  composed: Pick<ReturnType<typeof composeApiAccess>, 'access' | 'clock' | 'ids'>,
): ApprovalsDeps {
  const table = env.QM_TABLE_NAME;
  return {
    approvals: new DynamoApprovalRepository(runtime.doc, table),
    jobs: new DynamoJobRepository(runtime.doc, table),
    events: runtime.events,
    levels: composed.access.levels,
    clock: composed.clock,
    ids: composed.ids,
    retentionDays: env.QM_JOB_RETENTION_DAYS,
  };
}
