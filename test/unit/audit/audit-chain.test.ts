import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashRecord, nextRecord, type AuditRecord, type ChainHead } from '#domain/audit/audit-chain';
import { verifyChain } from '#domain/audit/audit-verify';
import { auditEntryInputSchema } from '#domain/audit/audit-entry.schema';

const DAY = 86_400;
const start = Date.parse('2026-11-01T00:00:00.000Z');

/** A chain of `n` records, one a minute, with the given retention. */
function chain(n: number, retentionDays = 90): { records: AuditRecord[]; head: ChainHead | undefined } {
  const records: AuditRecord[] = [];
  let head: ChainHead | undefined;
  for (let i = 0; i < n; i += 1) {
    const entry = auditEntryInputSchema.parse({
      actor: `u${i % 3}`,
      orgId: 'acme',
      action: 'createUser',
      target: `user/x${i}`,
      outcome: 'success',
      details: { i, nested: { b: 1, a: [i] } },
    });
    const record = nextRecord(entry, head, new Date(start + i * 60_000), retentionDays);
    records.push(record);
    head = { seq: record.seq, hash: record.hash, expiresAt: record.expiresAt };
  }
  return { records, head };
}

async function* iterate(records: readonly unknown[]): AsyncGenerator<unknown> {
  for (const record of records) yield record;
}

const now = Math.floor(start / 1000) + DAY;
const verify = (records: readonly unknown[], head: ChainHead | undefined, at = now) =>
  verifyChain(iterate(records), head, { now: at, maxEntries: 10_000 });

describe('audit hash chain', () => {
  it('links every record to the previous one and starts from the genesis hash', async () => {
    const { records, head } = chain(5);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i += 1) expect(records[i]?.prevHash).toBe(records[i - 1]?.hash);
    expect(await verify(records, head)).toMatchObject({ ok: true, checked: 5, firstSeq: 1, lastSeq: 5, headSeq: 5, complete: true });
    expect(await verify([], undefined)).toMatchObject({ ok: true, checked: 0, headSeq: 0 });
  });

  it('hashes canonically: key order does not matter, every value does', () => {
    const { records } = chain(1);
    const record = records[0] as AuditRecord;
    const reordered = Object.fromEntries(Object.entries(record).reverse()) as AuditRecord;
    expect(hashRecord(reordered)).toBe(record.hash);
    expect(hashRecord({ ...record, details: { ...record.details, i: 1 } })).not.toBe(record.hash);
  });

  it('reports the first broken link when any field of any entry is changed (property)', async () => {
    const { records, head } = chain(12);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom('actor', 'action', 'target', 'outcome', 'at', 'details', 'orgId', 'sourceIp'),
        async (index, field) => {
          const tampered = records.map((r) => ({ ...r }));
          const victim = tampered[index] as Record<string, unknown>;
          victim[field] =
            field === 'details'
              ? { i: 999 }
              : field === 'outcome'
                ? victim.outcome === 'success'
                  ? 'denied'
                  : 'success'
                : `${String(victim[field])}-x`;
          const report = await verify(tampered, head);
          expect(report.ok).toBe(false);
          expect(report.broken).toMatchObject({ seq: index + 1, reason: 'hash_mismatch' });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('catches a recomputed hash by the next link, and a rewritten tail by the head', async () => {
    const { records, head } = chain(6);
    const rewritten = records.map((r) => ({ ...r }));
    const third = rewritten[2] as AuditRecord;
    third.actor = 'mallory';
    third.hash = hashRecord(third);
    expect((await verify(rewritten, head)).broken).toMatchObject({ seq: 4, reason: 'link_mismatch' });

    const last = { ...(records[5] as AuditRecord), actor: 'mallory' };
    last.hash = hashRecord(last);
    expect((await verify([...records.slice(0, 5), last], head)).broken).toMatchObject({ seq: 6, reason: 'head_mismatch' });
  });

  it('detects deleted entries in the middle, at the start and at the end unless retention removed them', async () => {
    const { records, head } = chain(6, 1);
    expect((await verify([...records.slice(0, 2), ...records.slice(3)], head)).broken).toMatchObject({ seq: 4, reason: 'gap' });
    expect((await verify(records.slice(2), head)).broken).toMatchObject({ seq: 3, reason: 'gap' });
    expect((await verify(records.slice(0, 4), head)).broken).toMatchObject({ seq: 5, reason: 'truncated' });
    // Two days later the oldest entries are past their one-day retention: TTL may have removed them.
    expect(await verify(records.slice(2), head, now + 2 * DAY)).toMatchObject({ ok: true, firstSeq: 3, checked: 4 });
  });

  it('keeps entries without expiry when retention is 0, and then never accepts a gap', async () => {
    const { records, head } = chain(4, 0);
    expect(records.every((r) => r.expiresAt === undefined)).toBe(true);
    expect((await verify(records.slice(1), head, now + 10_000 * DAY)).broken).toMatchObject({ seq: 2, reason: 'gap' });
  });

  it('reports a malformed entry and resumes a long chain in slices', async () => {
    const { records, head } = chain(5);
    expect((await verify([records[0], { seq: 2, junk: true }], head)).broken).toMatchObject({ seq: 2, reason: 'malformed' });
    const first = await verifyChain(iterate(records), head, { now, maxEntries: 2 });
    expect(first).toMatchObject({ ok: true, complete: false, nextSeq: 3, checked: 2 });
    const rest = await verifyChain(iterate(records.slice(2)), head, { now, maxEntries: 10, anchor: records[1] });
    expect(rest).toMatchObject({ ok: true, complete: true, firstSeq: 3, lastSeq: 5 });
  });
});
