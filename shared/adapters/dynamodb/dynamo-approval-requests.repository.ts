import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalRepository } from '#domain/approvals/approvals.port';
import { approvalRequestSchema, type ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { withoutKeys } from './keys';
import * as keys from './table-keys';

/**
 * The read of one approval request (`ORG#<orgId>#APPROVALS` / `APPROVAL#<id>`), strongly consistent. The full
 * repository extends it; a function that only reads requests (the notifier: is it still pending, who may
 * decide it) carries this alone, without the transactions that move requests and jobs.
 */
export class DynamoApprovalRequests implements Pick<ApprovalRepository, 'get'> {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(orgId: string, id: string): Promise<ApprovalRequest | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.approvalRequest(orgId, id), ConsistentRead: true }),
    );
    return result.Item ? approvalRequestSchema.parse(withoutKeys(result.Item)) : undefined;
  }
}
