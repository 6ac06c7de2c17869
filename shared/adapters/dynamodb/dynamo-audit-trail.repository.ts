import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditRecordSchema, type AuditRecord } from '#domain/audit/audit-chain';
import { verifyChain, type VerifyReport } from '#domain/audit/audit-verify';
import type { AuditPage, AuditQuery, AuditTrail } from '#domain/audit/audit.port';
import type { Clock } from '#domain/runtime/runtime.port';
import { readAuditHead } from './dynamo-audit-log.repository';
import { decodeCursor, encodeCursor } from './cursor';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryPages } from './query-all';

/** Bounds the work of one `GET /v1/audit`: sparse filters then return fewer entries and a cursor. */
const QUERY_PAGES = 8;
const VERIFY_PAGE = 500;

/**
 * Reads the audit chains `DynamoAuditLog` writes: filtered queries, newest first, and verification of a
 * chain against its head. Separate from the writer so that every other function, which only appends,
 * does not carry the query and verification code (docs/budgets.md cold start).
 */
export class DynamoAuditTrail implements AuditTrail {
  private readonly clock: Clock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const pk = keys.auditPartition(query.orgId);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':pk': pk,
      ':entry': keys.auditEntryPrefix(),
      ':now': Math.floor(this.clock.now().getTime() / 1000),
    };
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
    const head = await readAuditHead(this.doc, this.tableName, orgId);
    const fromSeq = Math.max(1, options.fromSeq ?? 1);
    const anchor = fromSeq > 1 ? await this.readEntry(orgId, fromSeq - 1) : undefined;
    return verifyChain(this.entriesFrom(orgId, fromSeq), head, {
      now: Math.floor(this.clock.now().getTime() / 1000),
      maxEntries: options.maxEntries,
      anchor,
    });
  }

  private async readEntry(orgId: string, seq: number): Promise<AuditRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.auditEntry(orgId, seq), ConsistentRead: true }),
    );
    const parsed = result.Item ? auditRecordSchema.safeParse(withoutKeys(result.Item)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** Raw entries, oldest first: verification validates them itself, so a malformed one is reported, not thrown. */
  private async *entriesFrom(orgId: string, fromSeq: number): AsyncGenerator<Record<string, unknown>> {
    const pages = queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.auditPartition(orgId),
        ':from': keys.auditEntry(orgId, fromSeq).sk,
        ':to': `${keys.auditEntryPrefix()}~`,
      },
      ConsistentRead: true,
      Limit: VERIFY_PAGE,
    });
    for await (const page of pages) for (const item of page.Items ?? []) yield withoutKeys(item);
  }
}
