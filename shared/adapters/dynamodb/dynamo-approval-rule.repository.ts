import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { approvalRuleSchema, type ApprovalRule } from '#domain/approvals/approval-rule.schema';
import type { ApprovalRuleRepository } from '#domain/approvals/approvals.port';
import { MAX_PERMISSION_CACHE_MS } from './dynamo-level.repository';
import { deleteExisting, putVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/**
 * Approval rules: an org's own (`ORG#<orgId>#APPROVAL_RULES`) and the platform's (`PLATFORM#APPROVAL_RULES`),
 * both small partitions. The submit path reads them from a cache of at most 60 s (two Queries in parallel on
 * a miss, none on a warm function); a change is seen at once by the process that made it.
 */
export class DynamoApprovalRuleRepository implements ApprovalRuleRepository {
  private readonly cache = new Map<string, { rules: ApprovalRule[]; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = 30_000,
  ) {
    this.ttlMs = Math.min(Math.max(0, ttlMs), MAX_PERMISSION_CACHE_MS);
  }

  private async partition(pk: string): Promise<ApprovalRule[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });
    return items.map((item) => approvalRuleSchema.parse(withoutKeys(item)));
  }

  async forOrg(orgId: string): Promise<ApprovalRule[]> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.rules;
    const [own, platform] = await Promise.all([
      this.partition(keys.approvalRulePartition(orgId)),
      this.partition(keys.platformApprovalRulePartition()),
    ]);
    const rules = [...own, ...platform];
    if (this.ttlMs > 0) this.cache.set(orgId, { rules, until: Date.now() + this.ttlMs });
    return rules;
  }

  async get(orgId: string, id: string): Promise<ApprovalRule | undefined> {
    for (const key of [keys.approvalRule(orgId, id), keys.platformApprovalRule(id)]) {
      const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (result.Item) return approvalRuleSchema.parse(withoutKeys(result.Item));
    }
    return undefined;
  }

  private keyOf(rule: ApprovalRule) {
    return rule.scope === 'platform' ? keys.platformApprovalRule(rule.id) : keys.approvalRule(rule.orgId, rule.id);
  }

  async save(rule: ApprovalRule, expectedVersion: number): Promise<boolean> {
    const item = approvalRuleSchema.parse(rule);
    const saved = await putVersioned(this.doc, this.tableName, { ...item, ...this.keyOf(item) }, expectedVersion);
    this.cache.clear();
    return saved;
  }

  async remove(rule: ApprovalRule): Promise<boolean> {
    const removed = await deleteExisting(this.doc, this.tableName, this.keyOf(rule));
    this.cache.clear();
    return removed;
  }
}
