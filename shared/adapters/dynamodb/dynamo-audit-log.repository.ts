import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditRecordSchema, nextRecord, type AuditRecord, type ChainHead } from '#domain/audit/audit-chain';
import { type AuditLog } from '#domain/audit/audit.port';
import { auditEntryInputSchema, type AuditEntryInput } from '#domain/audit/audit-entry.schema';
import { AppError } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import * as keys from './table-keys';

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

/**
 * The audit log in the single table: one hash chain per org (`AUDIT#<orgId>`), entries under
 * `ENTRY#<seq>` and a head item holding the last sequence number and hash.
 *
 * Append-only and ordered: an append writes the entry (only if that sequence number is unused) and moves
 * the head from `seq` to `seq + 1` in one transaction, conditional on the head still being at `seq`.
 * Concurrent appenders therefore serialize on the head: one wins, the others re-read the head and retry,
 * so the chain never forks and never skips. The last head seen is kept in memory, so a warm function
 * appends in one round trip while nobody else writes to the chain. Reading and verifying the chain is
 * `DynamoAuditTrail`'s job: only the audit function needs it.
 */
export class DynamoAuditLog implements AuditLog {
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
      const head = this.heads.get(entry.orgId) ?? (await readAuditHead(this.doc, this.tableName, entry.orgId));
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

  private async tryAppend(record: AuditRecord, head: ChainHead | undefined): Promise<boolean> {
    const entryItem = { ...auditRecordSchema.parse(record), ...keys.auditEntry(record.orgId, record.seq) };
    // The head must not carry `expiresAt` (the TTL attribute): it lives as long as the chain.
    const headUpdate = {
      TableName: this.tableName,
      Key: keys.auditHead(record.orgId),
      UpdateExpression:
        record.expiresAt === undefined
          ? 'SET seq = :seq, #hash = :hash REMOVE lastExpiresAt'
          : 'SET seq = :seq, #hash = :hash, lastExpiresAt = :exp',
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
}

/** The chain head of one org (strongly consistent): the append's starting point and the verifier's reference. */
export async function readAuditHead(doc: DynamoDBDocumentClient, tableName: string, orgId: string): Promise<ChainHead | undefined> {
  const result = await doc.send(new GetCommand({ TableName: tableName, Key: keys.auditHead(orgId), ConsistentRead: true }));
  const item = result.Item;
  if (!item) return undefined;
  return {
    seq: Number(item.seq),
    hash: String(item.hash),
    ...(typeof item.lastExpiresAt === 'number' ? { expiresAt: item.lastExpiresAt } : {}),
  };
}
