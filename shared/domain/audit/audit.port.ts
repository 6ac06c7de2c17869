import type { AuditEntryInput } from './audit-entry.schema';
import type { AuditRecord } from './audit-chain';
import type { VerifyReport } from './audit-verify';

export interface AuditLog {
  append(entry: AuditEntryInput): Promise<void>;
}

/** Filters of `GET /v1/audit`. `action` and `target` match by prefix; times are ISO 8601. */
export interface AuditFilters {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}
export interface AuditQuery extends AuditFilters {
  orgId: string;
  /** A lead's reach: only entries by members of these teams, or by `self`. */
  teamsOf?: { teamIds: readonly string[]; self: string } | undefined;
  limit: number;
  cursor?: string | undefined;
}
export interface AuditPage {
  items: AuditRecord[];
  nextCursor?: string;
}
/** The read side of the audit log. */
export interface AuditTrail {
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  verify(orgId: string, options: { fromSeq?: number | undefined; maxEntries: number }): Promise<VerifyReport>;
}
