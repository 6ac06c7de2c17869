import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditRecordSchema, nextRecord, verifyChain, type AuditRecord, type ChainHead, type VerifyReport } from '../../domain/audit/audit-chain';
import { auditEntryInputSchema, type AuditEntryInput, type AuditLog } from '../../domain/audit/audit.port';
import type { AuditPage, AuditQuery, AuditTrail } from '../../domain/audit/audit-trail.service';
import { AppError } from '../../domain/errors/app-error';
import type { Clock } from '../../domain/runtime/runtime.port';
import { decodeCursor, encodeCursor } from './cursor';
import { keys, withoutKeys } from './keys';

export interface DynamoAuditLogOptions {
  /** Days entries are kept (DynamoDB TTL); 0 = keep forever. */
  retentionDays: number;
  clock?: Clock;
  /** Called with every stored entry: the composition logs seq and hash, an anchor outside the table. */
  onAppended?: (record: AuditRecord) => void;
}

/**
 * Appends racing on one org's head are retried this often, with short jittered backoff: each round lets one
 * writer through, so a burst of N concurrent appends to one org needs about N rounds.
 */
const APPEND_ATTEMPTS = 40;
/** Bounds the work of one `GET /v1/audit`: sparse filters then return fewer entries and a cursor. */
const QUERY_PAGES = 8;
const VERIFY_PAGE = 500;

/**
 * The audit log in the single table: one hash chain per org (`AUDIT#<orgId>`), entries under
 * `ENTRY#<seq>` and a head item holding the last sequence number and hash.
 *
 * Append-only and ordered: an append writes the entry (only if that sequence number is unused) and moves
 * the head from `seq` to `seq + 1` in one transaction, conditional on the head still being at `seq`.
 * Concurrent appenders therefore serialize on the head: one wins, the others re-read the head and retry,
 * so the chain never forks and never skips. The last head seen is kept in memory, so a warm function
 * appends in one round trip while nobody else writes to the chain.
 */
export class DynamoAuditLog implements AuditLog, AuditTrail {
  private readonly heads = new Map<string, ChainHead>();
  private readonly clock: Clock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoAuditLogOptions,
  ) {
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async append(input: AuditEntryInput): Promise<void> {
    await this.appendRecord(input);
  }

  /** Appends and returns the stored record (seq, time, hashes). */
  async appendRecord(input: AuditEntryInput): Promise<AuditRecord> {
    const entry = auditEntryInputSchema.parse(input);
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt += 1) {
      const head = this.heads.get(entry.orgId) ?? (await this.readHead(entry.orgId));
      const record = nextRecord(entry, head, this.clock.now(), this.options.retentionDays);
      if (await this.tryAppend(record, head)) {
        this.heads.set(entry.orgId, { seq: record.seq, hash: record.hash, expiresAt: record.expiresAt });
        this.options.onAppended?.(record);
        return record;
      }
      // Someone else appended first (or our cached head was stale): read the real head and go again.
      this.heads.delete(entry.orgId);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(40, 2 * 2 ** attempt)));
    }
    throw new AppError('unavailable', 'The audit log is busy; try again', { retryAfterSeconds: 1 });
  }

  private async readHead(orgId: string): Promise<ChainHead | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.auditHead(orgId), ConsistentRead: true }));
    const item = result.Item;
    if (!item) return undefined;
    return { seq: Number(item.seq), hash: String(item.hash), ...(typeof item.lastExpiresAt === 'number' ? { expiresAt: item.lastExpiresAt } : {}) };
  }

  private async tryAppend(record: AuditRecord, head: ChainHead | undefined): Promise<boolean> {
    const entryItem = { ...auditRecordSchema.parse(record), ...keys.auditEntry(record.orgId, record.seq) };
    // The head must not carry `expiresAt` (the TTL attribute): it lives as long as the chain.
    const headUpdate = {
      TableName: this.tableName,
      Key: keys.auditHead(record.orgId),
      UpdateExpression: record.expiresAt === undefined ? 'SET seq = :seq, #hash = :hash REMOVE lastExpiresAt' : 'SET seq = :seq, #hash = :hash, lastExpiresAt = :exp',
      ConditionExpression: head ? 'seq = :prev' : 'attribute_not_exists(pk)',
      ExpressionAttributeNames: { '#hash': 'hash' },
      ExpressionAttributeValues: {
        ':seq': record.seq,
        ':hash': record.hash,
        ...(record.expiresAt === undefined ? {} : { ':exp': record.expiresAt }),
        ...(head ? { ':prev': head.seq } : {}),
      },
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: entryItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Update: headUpdate },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const pk = keys.auditPartition(query.orgId);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk, ':entry': keys.auditEntryPrefix(), ':now': Math.floor(this.clock.now().getTime() / 1000) };
    // Entries past retention are hidden even before TTL deletes them (deletion can lag by days).
    const filters = ['(attribute_not_exists(expiresAt) OR expiresAt > :now)'];
    const add = (expression: string, attribute: string, placeholder: string, value: string | undefined): void => {
      if (value === undefined) return;
      filters.push(expression);
      names[`#${attribute}`] = attribute;
      values[placeholder] = value;
    };
    add('#actor = :actor', 'actor', ':actor', query.actor);
    add('begins_with(#action, :action)', 'action', ':action', query.action);
    add('begins_with(#target, :target)', 'target', ':target', query.target);
    add('#at >= :from', 'at', ':from', query.from);
    add('#at <= :to', 'at', ':to', query.to);
    if (query.teamsOf) {
      values[':self'] = query.teamsOf.self;
      const teams = query.teamsOf.teamIds.slice(0, 50).map((teamId, index) => {
        values[`:team${index}`] = teamId;
        return `contains(actorTeamIds, :team${index})`;
      });
      names['#actor'] = 'actor';
      filters.push(`(${['#actor = :self', ...teams].join(' OR ')})`);
    }

    const items: AuditRecord[] = [];
    let startKey = decodeCursor(query.cursor, { attribute: 'pk', value: pk });
    for (let page = 0; page < QUERY_PAGES && items.length < query.limit; page += 1) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
          FilterExpression: filters.join(' AND '),
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: Math.max(query.limit * 2, 50),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) {
        if (items.length === query.limit) {
          // Resume right after the last entry returned, not after the page: nothing is skipped.
          const last = items[items.length - 1] as AuditRecord;
          return { items, nextCursor: encodeCursor(keys.auditEntry(query.orgId, last.seq)) as string };
        }
        items.push(auditRecordSchema.parse(withoutKeys(item)));
      }
      startKey = result.LastEvaluatedKey as Record<string, string> | undefined;
      if (!startKey) return { items };
    }
    const last = items[items.length - 1];
    const resumeAt = items.length === query.limit && last ? keys.auditEntry(query.orgId, last.seq) : startKey;
    return { items, ...(resumeAt ? { nextCursor: encodeCursor(resumeAt) as string } : {}) };
  }

  async verify(orgId: string, options: { fromSeq?: number | undefined; maxEntries: number }): Promise<VerifyReport> {
    const head = await this.readHead(orgId);
    const fromSeq = Math.max(1, options.fromSeq ?? 1);
    const anchor = fromSeq > 1 ? await this.readEntry(orgId, fromSeq - 1) : undefined;
    return verifyChain(this.entriesFrom(orgId, fromSeq), head, {
      now: Math.floor(this.clock.now().getTime() / 1000),
      maxEntries: options.maxEntries,
      anchor,
    });
  }

  private async readEntry(orgId: string, seq: number): Promise<AuditRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.auditEntry(orgId, seq), ConsistentRead: true }));
    const parsed = result.Item ? auditRecordSchema.safeParse(withoutKeys(result.Item)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** Raw entries, oldest first: verification validates them itself, so a malformed one is reported, not thrown. */
  private async *entriesFrom(orgId: string, fromSeq: number): AsyncGenerator<Record<string, unknown>> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.auditPartition(orgId),
            ':from': keys.auditEntry(orgId, fromSeq).sk,
            ':to': `${keys.auditEntryPrefix()}~`,
          },
          ConsistentRead: true,
          Limit: VERIFY_PAGE,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of result.Items ?? []) yield withoutKeys(item);
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }
}
