import { approvalRequestSchema, type ApprovalRequest } from '#domain/jobs/approval-request.schema';
import * as keys from './table-keys';

/** The stored item of a request: pending ones carry the sparse gsi1 listing attributes. */
export function approvalItem(request: ApprovalRequest): Record<string, unknown> {
  const item: Record<string, unknown> = { ...approvalRequestSchema.parse(request), ...keys.approvalRequest(request.orgId, request.id) };
  if (request.state === 'pending') {
    item.gsi1pk = keys.pendingApprovalsPartition(request.orgId);
    item.gsi1sk = `${request.createdAt}#${request.id}`;
  }
  return item;
}
