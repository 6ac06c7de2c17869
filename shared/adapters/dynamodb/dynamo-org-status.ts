import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrgStatusSource } from '../../domain/authz/access-gate';
import { queryAll } from './query-all';
import * as keys from './table-keys';

/**
 * The access gate's view of org and team status (`ORG#<id>` / `ORG` and `ORG#<orgId>` / `TEAM#<id>`, the
 * `status` attribute only), each cached for at most `ttlMs` (60 s by default). Kept apart from the tenancy
 * repository so that every function, not only the ones that manage orgs, can check status without carrying
 * the org and team CRUD code.
 */
export class DynamoOrgStatus implements OrgStatusSource {
  private readonly cache = new Map<string, { active: boolean; until: number }>();
  private readonly teams = new Map<string, { disabled: ReadonlySet<string>; until: number }>();

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

  /** The org's disabled teams: one Query of its team items (status only), cached like org status. */
  async disabledTeams(orgId: string): Promise<ReadonlySet<string>> {
    const cached = this.teams.get(orgId);
    if (cached && cached.until > Date.now()) return cached.disabled;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :team)',
      FilterExpression: '#s = :disabled',
      ProjectionExpression: 'sk',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':team': keys.teamPrefix(), ':disabled': 'disabled' },
    });
    const disabled = new Set(items.map((item) => String(item.sk).slice(keys.teamPrefix().length)));
    this.teams.set(orgId, { disabled, until: Date.now() + this.ttlMs });
    return disabled;
  }

  /** Drops one org's cached status: called when this process changes the org, so the change applies at once here. */
  forget(orgId: string): void {
    this.cache.delete(orgId);
  }

  /** Drops the cached team statuses of one org, as `forget` does for the org itself. */
  forgetTeams(orgId: string): void {
    this.teams.delete(orgId);
  }
}
