import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrgStatusSource } from '#domain/tenancy/tenancy.port';
import { queryAll } from './query-all';
import * as keys from './table-keys';

/**
 * The access gate's view of org and team status (`ORG#<id>` / `ORG` and `ORG#<orgId>` / `TEAM#<id>`, the
 * `status` attribute only), each cached for at most `ttlMs` (60 s by default). Kept apart from the tenancy
 * repository so that every function, not only the ones that manage orgs, can check status without carrying
 * the org and team CRUD code.
 */
export class DynamoOrgStatus implements OrgStatusSource {
  private readonly cache = new Map<string, { snapshot: Promise<OrgSnapshot>; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlMs = 60_000,
  ) {}

  async isActive(orgId: string): Promise<boolean> {
    return (await this.snapshot(orgId)).active;
  }

  async disabledTeams(orgId: string): Promise<ReadonlySet<string>> {
    return (await this.snapshot(orgId)).disabledTeams;
  }

  /** Drops one org's cached status (and its teams'): called when this process changes them, so the change applies at once here. */
  forget(orgId: string): void {
    this.cache.delete(orgId);
  }

  /**
   * The org item and its disabled teams share the partition `ORG#<id>`: one Query reads both (status only),
   * and both answers come from the one cached snapshot — the gate asks for them together on every request.
   */
  private snapshot(orgId: string): Promise<OrgSnapshot> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.snapshot;
    const snapshot = queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      // Status only, and no filter (DynamoDB filters cannot name key attributes): an org holds a handful of teams.
      ProjectionExpression: 'sk, #s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId) },
    }).then((items) => {
      const disabled = items.filter((item) => item.status === 'disabled').map((item) => String(item.sk));
      const teamPrefix = keys.teamPrefix();
      return {
        // An org the table does not know (a deployment that never created one) is not a disabled org.
        active: !disabled.includes(keys.org(orgId).sk),
        disabledTeams: new Set(disabled.filter((sk) => sk.startsWith(teamPrefix)).map((sk) => sk.slice(teamPrefix.length))),
      };
    });
    this.cache.set(orgId, { snapshot, until: Date.now() + this.ttlMs });
    // A failed read is not cached: the next request tries again.
    snapshot.catch(() => this.cache.delete(orgId));
    return snapshot;
  }
}

interface OrgSnapshot {
  active: boolean;
  disabledTeams: ReadonlySet<string>;
}
