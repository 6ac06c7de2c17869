import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { orgSchema, teamSchema, type Org, type Team } from '#domain/tenancy/tenancy.schema';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { ListOptions, Page } from '#domain/page';
import { pick, putVersioned, queryPage } from './dynamo-versioned';
import * as keys from './table-keys';
import { orgIndexAttributes, withoutKeys } from './keys';

/**
 * Orgs (`ORG#<id>` / `ORG`, listed through gsi1 `ORGS`) and teams (`ORG#<orgId>` / `TEAM#<id>`). A change to
 * an org or a team also drops its cached status in this process (`orgStatus`, the access gate's `DynamoOrgStatus`).
 */
export class DynamoTenancyRepository implements TenancyRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly orgStatus?: { forget(orgId: string): void },
  ) {}

  async getOrg(id: string): Promise<Org | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.org(id), ConsistentRead: true }));
    return result.Item ? orgSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  listOrgs(options: ListOptions): Promise<Page<Org>> {
    const partition = keys.orgsIndexPartition();
    return queryPage(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
      },
      orgSchema,
      { ...options, partition: { attribute: 'gsi1pk', value: partition }, keyOf: (item) => pick(item, ['pk', 'sk', 'gsi1pk', 'gsi1sk']) },
    );
  }

  async createOrg(org: Org): Promise<boolean> {
    const item = orgSchema.parse(org);
    return putVersioned(this.doc, this.tableName, { ...item, ...keys.org(item.id), ...orgIndexAttributes(item.id) }, 0);
  }

  async updateOrg(id: string, patch: { name?: string; status?: Org['status'] }, at: string): Promise<Org | undefined> {
    const updated = await this.update(keys.org(id), patch, at);
    this.orgStatus?.forget(id);
    return updated ? orgSchema.parse(updated) : undefined;
  }

  async getTeam(orgId: string, teamId: string): Promise<Team | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.team(orgId, teamId), ConsistentRead: true }));
    return result.Item ? teamSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  listTeams(orgId: string, options: ListOptions): Promise<Page<Team>> {
    const pk = keys.orgPartition(orgId);
    return queryPage(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :team)',
        ExpressionAttributeValues: { ':pk': pk, ':team': keys.teamPrefix() },
      },
      teamSchema,
      { ...options, partition: { attribute: 'pk', value: pk }, keyOf: (item) => pick(item, ['pk', 'sk']) },
    );
  }

  async createTeam(team: Team): Promise<boolean> {
    const item = teamSchema.parse(team);
    return putVersioned(this.doc, this.tableName, { ...item, ...keys.team(item.orgId, item.id) }, 0);
  }

  async updateTeam(
    orgId: string,
    teamId: string,
    patch: { name?: string; status?: Team['status'] },
    at: string,
  ): Promise<Team | undefined> {
    const updated = await this.update(keys.team(orgId, teamId), patch, at);
    this.orgStatus?.forget(orgId);
    return updated ? teamSchema.parse(updated) : undefined;
  }

  /** Sets the given fields on an existing item; undefined when there is none. */
  private async update(
    key: { pk: string; sk: string },
    patch: { name?: string | undefined; status?: string | undefined },
    at: string,
  ): Promise<Record<string, unknown> | undefined> {
    const sets = ['updatedAt = :at'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':at': at };
    for (const field of ['name', 'status'] as const) {
      if (patch[field] === undefined) continue;
      sets.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = patch[field];
    }
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? withoutKeys(result.Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
