import type { AuditEntryInput, AuditLog } from '#domain/audit/audit.port';
import type { Quota, QuotaInput } from '#domain/quotas/quota.schema';
import { quotaInputSchema } from '#domain/quotas/quota.schema';

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
