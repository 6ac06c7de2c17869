import { GENESIS_HASH, auditRecordSchema, hashRecord, type AuditRecord, type ChainHead } from './audit-chain';

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
