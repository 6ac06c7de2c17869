import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovalLinkLedger } from '#domain/approvals/approvals.port';
import { linkIdHash } from '#domain/approvals/approval-links';
import * as keys from './table-keys';

/**
 * Used approval links (`ORG#<orgId>#APPROVAL_LINKS` / `USED#<sha256(link id)>`): one conditional put per
 * use, so of two confirmations of the same link exactly one goes through. The item names the approval id
 * and when it was used, never the token; TTL removes it once the link would have expired anyway.
 */
export class DynamoApprovalLinkLedger implements ApprovalLinkLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async use(link: { orgId: string; linkId: string; approvalId: string; expiresAt: Date }, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.usedApprovalLink(link.orgId, linkIdHash(link.linkId)),
            approvalId: link.approvalId,
            usedAt: at.toISOString(),
            expiresAt: Math.ceil(link.expiresAt.getTime() / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async wasUsed(link: { orgId: string; linkId: string }): Promise<boolean> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.usedApprovalLink(link.orgId, linkIdHash(link.linkId)),
        ConsistentRead: true,
        ProjectionExpression: 'pk',
      }),
    );
    return result.Item !== undefined;
  }
}
