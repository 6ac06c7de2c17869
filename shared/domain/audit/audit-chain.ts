import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { auditEntryInputSchema } from './audit-entry.schema';

/**
 * The audit hash chain (docs/permissions.md#audit-trail). Each org has one chain: entry `n` stores the hash of entry `n-1`
 * and its own hash, `sha256(prevHash + canonical(entry))`, so changing, removing or reordering any entry
 * breaks every link after it. Entries leave by retention (DynamoDB TTL) oldest first; each entry also
 * records its predecessor's expiry, so verification can tell a gap retention left from a deletion.
 */
export const GENESIS_HASH = '0'.repeat(64);

export const auditRecordSchema = z.extend(auditEntryInputSchema, {
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  seq: z.number().check(z.int(), z.gte(1)),
  at: z.string(),
  prevHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** Epoch seconds after which TTL removes the entry; absent = kept forever (retention 0). */
  expiresAt: z.optional(z.number().check(z.int())),
  prevExpiresAt: z.optional(z.number().check(z.int())),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
type ParsedEntry = z.output<typeof auditEntryInputSchema>;

/** The tip of a chain, as the head item stores it. */
export interface ChainHead {
  seq: number;
  hash: string;
  expiresAt?: number | undefined;
}

/** JSON with object keys sorted at every depth and undefined members left out: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, inner]) => inner !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, sortDeep(inner)]),
    );
  }
  return value;
}

/** The hash of a record: everything but `hash` itself, chained to `prevHash`. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { prevHash, hash: _ignored, ...content } = record;
  void _ignored;
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** The record that follows `head` (or starts the chain) for `entry`, stored at `at`. */
export function nextRecord(entry: ParsedEntry, head: ChainHead | undefined, at: Date, retentionDays: number): AuditRecord {
  const seconds = Math.floor(at.getTime() / 1000);
  const unsigned: Omit<AuditRecord, 'hash'> = {
    ...entry,
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    prevHash: head?.hash ?? GENESIS_HASH,
    ...(retentionDays > 0 ? { expiresAt: seconds + retentionDays * 86_400 } : {}),
    ...(head?.expiresAt !== undefined ? { prevExpiresAt: head.expiresAt } : {}),
  };
  return { ...unsigned, hash: hashRecord(unsigned) };
}
