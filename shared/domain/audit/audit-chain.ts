import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { auditEntryInputSchema } from './audit.port';

/**
 * The audit hash chain (DESIGN §4.10). Each org has one chain: entry `n` stores the hash of entry `n-1`
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

export type ChainBreakReason = 'malformed' | 'hash_mismatch' | 'link_mismatch' | 'gap' | 'truncated' | 'head_mismatch';

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries checked in this run. */
  checked: number;
  firstSeq?: number;
  lastSeq?: number;
  /** Sequence number the head records (the last entry ever appended), 0 for an empty chain. */
  headSeq: number;
  /** The first broken link: verification stops there. */
  broken?: ChainBreak;
  /** False when `maxEntries` stopped the run early: continue from `nextSeq`. */
  complete: boolean;
  nextSeq?: number;
}

export interface VerifyOptions {
  /** Epoch seconds: entries whose predecessor expired before this may start after a gap. */
  now: number;
  maxEntries: number;
  /** The entry just before the first one read, when verification resumes mid-chain. */
  anchor?: AuditRecord | undefined;
}

/**
 * Recomputes the chain from `records` (ascending by `seq`) and reports the first broken link. What can be
 * detected: a changed entry (its hash), a changed hash (the next link), a removed entry that had not
 * expired (a gap), removed newest entries (the head). A chain whose head and every hash were rewritten
 * together needs an outside anchor: the head hash is also logged at each append (see the adapter).
 */
export async function verifyChain(
  records: AsyncIterable<unknown>,
  head: ChainHead | undefined,
  options: VerifyOptions,
): Promise<VerifyReport> {
  let prev = options.anchor;
  let checked = 0;
  let first: number | undefined;
  const headSeq = head?.seq ?? 0;
  const report = (extra: Partial<VerifyReport> & { complete: boolean }): VerifyReport => ({
    ok: !extra.broken,
    checked,
    ...(first !== undefined ? { firstSeq: first } : {}),
    ...(prev ? { lastSeq: prev.seq } : {}),
    headSeq,
    ...extra,
  });

  for await (const raw of records) {
    if (checked >= options.maxEntries) return report({ complete: false, nextSeq: (prev?.seq ?? 0) + 1 });
    const parsed = auditRecordSchema.safeParse(raw);
    const rawSeq = typeof (raw as { seq?: unknown }).seq === 'number' ? (raw as { seq: number }).seq : (prev?.seq ?? 0) + 1;
    if (!parsed.success)
      return report({
        complete: true,
        broken: { seq: rawSeq, reason: 'malformed', message: `Entry ${rawSeq} is not a valid audit record` },
      });
    const record = parsed.data;
    const expectedSeq = (prev?.seq ?? 0) + 1;
    const predecessorExpired = record.prevExpiresAt !== undefined && record.prevExpiresAt <= options.now;
    if (record.seq !== expectedSeq && !predecessorExpired) {
      const message = `Entries ${expectedSeq}..${record.seq - 1} are missing and had not reached their retention`;
      return report({ complete: true, broken: { seq: record.seq, reason: 'gap', message } });
    }
    if (record.seq === expectedSeq) {
      const linkTo = prev?.hash ?? GENESIS_HASH;
      const linked = prev
        ? record.prevHash === linkTo && record.prevExpiresAt === prev.expiresAt
        : record.seq !== 1 || record.prevHash === GENESIS_HASH;
      if (!linked) {
        return report({
          complete: true,
          broken: { seq: record.seq, reason: 'link_mismatch', message: `Entry ${record.seq} does not link to entry ${record.seq - 1}` },
        });
      }
    }
    if (hashRecord(record) !== record.hash) {
      return report({
        complete: true,
        broken: { seq: record.seq, reason: 'hash_mismatch', message: `Entry ${record.seq} was changed after it was written` },
      });
    }
    first ??= record.seq;
    prev = record;
    checked += 1;
  }

  const last = prev;
  const headExpired = head?.expiresAt !== undefined && head.expiresAt <= options.now;
  if (head && (!last || last.seq < head.seq) && !headExpired) {
    const from = (last?.seq ?? 0) + 1;
    return report({
      complete: true,
      broken: { seq: from, reason: 'truncated', message: `Entries ${from}..${head.seq} are missing (newest entries removed)` },
    });
  }
  if (head && last && last.seq === head.seq && last.hash !== head.hash) {
    return report({
      complete: true,
      broken: { seq: last.seq, reason: 'head_mismatch', message: `Entry ${last.seq} does not match the chain head` },
    });
  }
  if (!head && last) {
    return report({ complete: true, broken: { seq: last.seq, reason: 'head_mismatch', message: 'The chain head is missing' } });
  }
  return report({ complete: true });
}
