import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditLog } from '#adapters/dynamodb/dynamo-audit-log.repository';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import type { AuditEntryInput } from '#domain/audit/audit-entry.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { createTestTable, type TestTable } from '#test-support/integration-env';
import { manualClock } from '#test-support/job-fixtures';

const entry = (overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actor: 'ada',
  orgId: 'acme',
  action: 'createUser',
  target: 'user/rae',
  outcome: 'success',
  sourceIp: '10.0.0.1',
  details: { level: 'researcher' },
  ...overrides,
});

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});

const log = (options: Partial<ConstructorParameters<typeof DynamoAuditLog>[2]> = {}) =>
  new DynamoAuditLog(table.doc, table.tableName, { retentionDays: 90, ...options });
/** The reader the audit function uses over the same chains. */
const trail = (options: { clock?: Clock } = {}) => new DynamoAuditTrail(table.doc, table.tableName, options);

describe('DynamoDB audit log: append-only hash chain', () => {
  it('appends concurrently from several writers into one contiguous chain that verifies', async () => {
    // Three "function instances" (separate head caches) appending 60 entries at once to one org.
    const writers = [log(), log(), log()];
    const records = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (writers[i % 3] as DynamoAuditLog).appendRecord(entry({ orgId: 'race', target: `t/${i}` }))),
    );
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.prevHash)).size).toBe(60); // no fork: every entry has its own predecessor
    expect(await trail().verify('race', { maxEntries: 1000 })).toMatchObject({ ok: true, checked: 60, headSeq: 60, complete: true });
  });

  it('keeps one chain per org and sets the retention TTL (90 days by default, none for 0)', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const a = await log({ clock }).appendRecord(entry({ orgId: 'ttl-org' }));
    const b = await log({ clock }).appendRecord(entry({ orgId: 'other-org' }));
    expect([a.seq, b.seq]).toEqual([1, 1]);
    expect(a.expiresAt).toBe(Math.floor(Date.parse('2026-11-22T10:00:00.000Z') / 1000) + 90 * 86_400);
    const kept = await log({ retentionDays: 0 }).appendRecord(entry({ orgId: 'keep-org' }));
    expect(kept.expiresAt).toBeUndefined();
    const stored = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.auditEntry('ttl-org', 1) }));
    expect(stored.Item?.expiresAt).toBe(a.expiresAt);
    // The head never carries the TTL attribute: it must outlive every entry.
    const head = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.auditHead('ttl-org') }));
    expect(head.Item?.expiresAt).toBeUndefined();
    expect(head.Item?.seq).toBe(1);
  });

  it('refuses to overwrite an entry: a writer with a stale head retries on top of the chain', async () => {
    const first = log();
    const second = log();
    await first.appendRecord(entry({ orgId: 'stale' }));
    await second.appendRecord(entry({ orgId: 'stale' })); // second reads the head: seq 2
    const third = await first.appendRecord(entry({ orgId: 'stale', target: 'x' })); // first's cached head says 1
    expect(third.seq).toBe(3);
    expect(await trail().verify('stale', { maxEntries: 10 })).toMatchObject({ ok: true, checked: 3 });
  });

  it('detects tampering: a changed entry, a changed hash, a deleted entry, a removed tail', async () => {
    const writer = log();
    for (let i = 0; i < 8; i += 1) await writer.append(entry({ orgId: 'tamper', target: `t/${i}` }));
    const update = (seq: number, expression: string, values: Record<string, unknown>) =>
      table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: keys.auditEntry('tamper', seq),
          UpdateExpression: expression,
          ...(expression.includes('#h') ? { ExpressionAttributeNames: { '#h': 'hash' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );

    await update(3, 'SET actor = :a', { ':a': 'mallory' });
    expect((await trail().verify('tamper', { maxEntries: 100 })).broken).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
    await update(3, 'SET actor = :a', { ':a': 'ada' });
    expect(await trail().verify('tamper', { maxEntries: 100 })).toMatchObject({ ok: true });

    const original = (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.auditEntry('tamper', 5) }))).Item;
    await update(5, 'SET #h = :h', { ':h': 'f'.repeat(64) });
    const changedHash = await trail().verify('tamper', { maxEntries: 100 });
    expect(changedHash.broken?.seq).toBe(5);
    await update(5, 'SET #h = :h', { ':h': original?.hash });

    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditEntry('tamper', 6) }));
    expect((await trail().verify('tamper', { maxEntries: 100 })).broken).toMatchObject({ seq: 7, reason: 'gap' });
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditEntry('tamper', 7) }));
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.auditEntry('tamper', 8) }));
    expect((await trail().verify('tamper', { maxEntries: 100 })).broken).toMatchObject({ seq: 6, reason: 'truncated' });
  });

  it('verifies a long chain in slices', async () => {
    const writer = log();
    for (let i = 0; i < 7; i += 1) await writer.append(entry({ orgId: 'slices' }));
    const first = await trail().verify('slices', { maxEntries: 3 });
    expect(first).toMatchObject({ ok: true, complete: false, nextSeq: 4 });
    expect(await trail().verify('slices', { fromSeq: first.nextSeq, maxEntries: 10 })).toMatchObject({
      ok: true,
      complete: true,
      firstSeq: 4,
      lastSeq: 7,
    });
  });
});

describe('DynamoDB audit log: query', () => {
  beforeAll(async () => {
    const clock = manualClock('2026-11-01T00:00:00.000Z');
    const writer = log({ clock });
    for (let i = 0; i < 30; i += 1) {
      await writer.append(
        entry({
          orgId: 'q',
          actor: i % 3 === 0 ? 'lin' : 'rae',
          action: i % 2 === 0 ? 'request.denied' : 'createTemplate',
          target: i % 5 === 0 ? `user/u${i}` : `template/t${i}`,
          outcome: i % 2 === 0 ? 'denied' : 'success',
          actorTeamIds: i % 3 === 0 ? ['vision'] : ['nlp'],
        }),
      );
      clock.advance(60_000);
    }
  });

  it('returns newest first, filtered by actor, action prefix, target prefix and time, paged by cursor', async () => {
    const all = await trail().query({ orgId: 'q', limit: 100 });
    expect(all.items.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    const lin = await trail().query({ orgId: 'q', actor: 'lin', limit: 100 });
    expect(lin.items.every((r) => r.actor === 'lin')).toBe(true);
    expect(lin.items).toHaveLength(10);
    expect((await trail().query({ orgId: 'q', action: 'request.', limit: 100 })).items).toHaveLength(15);
    expect((await trail().query({ orgId: 'q', target: 'user/', limit: 100 })).items).toHaveLength(6);
    const window = await trail().query({ orgId: 'q', from: '2026-11-01T00:10:00.000Z', to: '2026-11-01T00:14:00.000Z', limit: 100 });
    expect(window.items.map((r) => r.seq)).toEqual([15, 14, 13, 12, 11]);

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await trail().query({ orgId: 'q', action: 'createTemplate', limit: 4, cursor });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => 30 - 2 * i));
  });

  it("limits a lead's view to entries by members of their teams and their own", async () => {
    const page = await trail().query({ orgId: 'q', teamsOf: { teamIds: ['vision'], self: 'nobody' }, limit: 100 });
    expect(page.items).toHaveLength(10);
    expect(page.items.every((r) => r.actorTeamIds?.includes('vision'))).toBe(true);
    const own = await trail().query({ orgId: 'q', teamsOf: { teamIds: [], self: 'rae' }, limit: 100 });
    expect(own.items.every((r) => r.actor === 'rae')).toBe(true);
  });

  it('hides entries past their retention even before TTL removes them, and refuses a foreign cursor', async () => {
    const later = manualClock('2027-06-01T00:00:00.000Z');
    expect((await trail({ clock: later }).query({ orgId: 'q', limit: 100 })).items).toHaveLength(0);
    const other = await trail().query({ orgId: 'race', limit: 1 });
    await expect(trail().query({ orgId: 'q', limit: 1, cursor: other.nextCursor })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
