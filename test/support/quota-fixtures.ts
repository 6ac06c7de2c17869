import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCurrentUsers } from '#adapters/dynamodb/dynamo-current-users.repository';
import { DynamoLevelCatalog } from '#adapters/dynamodb/dynamo-level.repository';
import { DynamoTenancyRepository } from '#adapters/dynamodb/dynamo-tenancy.repository';
import { DynamoUserDirectory } from '#adapters/dynamodb/dynamo-user-directory.repository';
import type { AuditLog } from '#domain/audit/audit.port';
import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import type { QuotaScopeSources } from '#domain/quotas/quota.service';
import { type Quota, type QuotaInput, quotaInputSchema } from '#domain/quotas/quota.schema';

let sequence = 0;

/** A stored quota for tests (ids need not be ULIDs here: they are never in a path). */
export function quota(input: QuotaInput & { orgId?: string }): Quota {
  const { orgId: _org, ...fields } = input;
  const parsed = quotaInputSchema.parse(fields);
  sequence += 1;
  return {
    schemaVersion: 1,
    id: `q-${sequence}`,
    orgId: input.orgId ?? 'acme',
    metric: parsed.metric,
    ...(parsed.period ? { period: parsed.period } : {}),
    scopeType: parsed.scopeType,
    scopeId: parsed.scopeId ?? input.orgId ?? 'acme',
    limit: parsed.limit,
    action: parsed.action,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'test',
  };
}

/** An AuditLog that keeps entries in memory (the DynamoDB chain has its own tests). */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntryInput[] = [];
  async append(entry: AuditEntryInput): Promise<void> {
    this.entries.push(entry);
  }
}

/**
 * Stores teams and users of an org, so that quota scopes and usage queries naming them pass the check that
 * they belong to the org (another org's or a missing id is a 404), and returns where those checks look.
 */
export async function seedScopes(
  table: { doc: DynamoDBDocumentClient; tableName: string },
  orgId: string,
  objects: { teams?: string[]; users?: string[] },
): Promise<QuotaScopeSources> {
  const teams = new DynamoTenancyRepository(table.doc, table.tableName);
  const directory = new DynamoUserDirectory(table.doc, table.tableName);
  const createdAt = '2026-11-01T00:00:00.000Z';
  for (const id of objects.teams ?? [])
    await teams.createTeam({ schemaVersion: 1, id, slug: id, orgId, name: id, status: 'active', createdAt });
  for (const id of objects.users ?? []) {
    await directory.create({
      schemaVersion: 1,
      id,
      email: `${id}@${orgId}.test`,
      displayName: id,
      orgId,
      level: 'researcher',
      platformAdmin: false,
      teamIds: objects.teams ?? [],
      status: 'active',
      createdAt,
    });
  }
  return {
    teams,
    users: new DynamoCurrentUsers(table.doc, table.tableName),
    levels: new DynamoLevelCatalog(table.doc, table.tableName, 0),
  };
}
