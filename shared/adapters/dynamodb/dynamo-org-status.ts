import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrgStatusSource } from '../../domain/authz/access-gate';
import { keys } from './keys';

/**
 * The access gate's view of org status (`ORG#<id>` / `ORG`, the `status` attribute only), cached for at most
 * `ttlMs` (60 s by default). Kept apart from the tenancy repository so that every function, not only the
 * ones that manage orgs, can check status without carrying the org and team CRUD code.
 */
export class DynamoOrgStatus implements OrgStatusSource {
  private readonly cache = new Map<string, { active: boolean; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  async isActive(orgId: string): Promise<boolean> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.active;
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.org(orgId),
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#s': 'status' },
      }),
    );
    // An org the table does not know (a deployment that never created one) is not a disabled org.
    const active = result.Item?.status !== 'disabled';
    this.cache.set(orgId, { active, until: Date.now() + this.ttlMs });
    return active;
  }

  /** Drops one org's cached status: called when this process changes the org, so the change applies at once here. */
  forget(orgId: string): void {
    this.cache.delete(orgId);
  }
}
