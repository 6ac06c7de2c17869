import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppError } from '#domain/errors/app-error';
import {
  MAX_TRANSACTION_ITEMS,
  type CreateOutcome,
  type IdempotencyRecord,
  type JobRepository,
  type Page,
  type SaveOutcome,
} from '#domain/jobs/jobs.port';
import type { CounterEffect } from '#domain/quotas/counters';
import { isTerminal, jobSchema, type Job, type JobState, type WaitingReason } from '#domain/jobs/job.schema';
import type { ApprovalRequest } from '#domain/jobs/approval-request.schema';
import type { DomainEvent } from '#domain/events/event-envelope';
import { approvalItem } from './approval-item';
import { outboxPuts } from './dynamo-event-outbox.repository';
import { counterUpdate, groupEffects, readCounterValues, type CounterItemUpdate } from './dynamo-counters';
import { decodeCursor, encodeCursor } from './cursor';
import { mergeShards } from './job-state-shards';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

/** Idempotency records live 24 hours (DynamoDB TTL; deletion may lag, the record stays authoritative). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Transactions that collide on a hot counter are retried this often, with jittered backoff. */
const CONFLICT_RETRIES = 6;

type TxResult = { ok: true } | { ok: false; index: number | undefined; code: string; item?: Record<string, unknown> };

/** Higher priority class sorts first: store the complement, zero-padded, so string order is numeric order. */
const schedulingKey = (job: Job): string =>
  `${String(9999 - Math.min(job.priorityClass, 9999)).padStart(4, '0')}#${job.createdAt}#${job.id}`;

const stateIndexKey = (job: Job) => ({ gsi2pk: keys.jobStatePartition(job.state, keys.jobStateShard(job.id)), gsi2sk: schedulingKey(job) });

/** The index attributes a job item carries; terminal jobs leave the sparse state index. */
export function jobIndexAttributes(job: Job): Record<string, string> {
  const attributes: Record<string, string> = {
    gsi1pk: keys.ownerJobsPartition(job.orgId, job.ownerId),
    gsi1sk: `${job.createdAt}#${job.id}`,
  };
  if (!isTerminal(job.state)) {
    attributes.gsi2pk = keys.jobStatePartition(job.state, keys.jobStateShard(job.id));
    attributes.gsi2sk = schedulingKey(job);
  }
  return attributes;
}

/** The stored item of a job: validated, keyed, indexed. */
export function jobItem(job: Job): Record<string, unknown> {
  return { ...jobSchema.parse(job), ...keys.job(job.id), ...jobIndexAttributes(job) };
}

/** DynamoDB single-table implementation of the job store; validates what it writes and what it reads. */
export class DynamoJobRepository implements JobRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(job: Job): Record<string, unknown> {
    return jobItem(job);
  }

  private static read(item: Record<string, unknown> | undefined): Job | undefined {
    return item ? jobSchema.parse(withoutKeys(item)) : undefined;
  }

  /**
   * Runs a transaction, retrying DynamoDB's TransactionConflict (another transaction on the same counter in
   * flight) with jittered backoff. Condition failures are reported with the index of the failed item.
   */
  private async transact(items: Record<string, unknown>[]): Promise<TxResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { ok: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
        if (failed >= 0) {
          const raw = reasons[failed]?.Item;
          return { ok: false, index: failed, code: 'ConditionalCheckFailed', ...(raw ? { item: unmarshall(raw) } : {}) };
        }
        const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflict || attempt >= CONFLICT_RETRIES)
          return { ok: false, index: undefined, code: conflict ? 'TransactionConflict' : 'Unknown' };
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
      }
    }
  }

  private counterItems(effects: readonly CounterEffect[]): { updates: CounterItemUpdate[]; items: Record<string, unknown>[] } {
    const updates = groupEffects(effects);
    return { updates, items: updates.map((update) => ({ Update: counterUpdate(this.tableName, update) })) };
  }

  async create(
    job: Job,
    idempotency?: IdempotencyRecord,
    effects: readonly CounterEffect[] = [],
    approval?: ApprovalRequest,
    events: readonly DomainEvent[] = [],
  ): Promise<CreateOutcome> {
    const put = { TableName: this.tableName, Item: this.item(job), ConditionExpression: 'attribute_not_exists(pk)' };
    if (!idempotency && effects.length === 0 && !approval && events.length === 0) {
      await this.doc.send(new PutCommand(put));
      return { ok: true, job, created: true };
    }
    const items: Record<string, unknown>[] = [{ Put: put }];
    if (idempotency) {
      const record = {
        ...keys.idempotency(job.ownerId, idempotency.key),
        jobId: job.id,
        fingerprint: idempotency.fingerprint,
        expiresAt: Math.floor(Date.parse(job.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
      };
      // ALL_OLD hands back the earlier record on a replay: no extra read to learn which job it made.
      items.push({
        Put: {
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    const counters = this.counterItems(effects);
    items.push(...counters.items);
    // The request goes last, so the indexes above (idempotency at 1, counters after it) stay as they were.
    if (approval)
      items.push({ Put: { TableName: this.tableName, Item: approvalItem(approval), ConditionExpression: 'attribute_not_exists(pk)' } });
    // The outbox last, for the same reason: the job's events commit with it, or not at all.
    items.push(...outboxPuts(this.tableName, events));
    const result = await this.transact(items);
    if (result.ok) return { ok: true, job, created: true };
    if (result.code === 'TransactionConflict') return { ok: false, reason: 'conflict' };
    if (idempotency && result.index === 1) return this.replay(job.ownerId, idempotency, result.item);
    const counter = result.index !== undefined ? counters.updates[result.index - (idempotency ? 2 : 1)]?.counter : undefined;
    if (counter) return { ok: false, reason: 'counter', counter };
    throw new Error(`Job creation failed (${result.code})`);
  }

  private async replay(ownerId: string, idempotency: IdempotencyRecord, returned?: Record<string, unknown>): Promise<CreateOutcome> {
    const record =
      returned ??
      (
        await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: keys.idempotency(ownerId, idempotency.key), ConsistentRead: true }),
        )
      ).Item;
    if (record?.fingerprint !== idempotency.fingerprint) {
      throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used with a different job spec', {
        fields: [{ field: 'headers.idempotency-key', message: 'reused with a different body' }],
      });
    }
    const earlier = await this.get(String(record.jobId));
    if (!earlier) throw new AppError('conflict', 'The job created with this Idempotency-Key no longer exists');
    return { ok: true, job: earlier, created: false };
  }

  async get(id: string): Promise<Job | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.job(id), ConsistentRead: true }));
    return DynamoJobRepository.read(result.Item);
  }

  async listByOwner(orgId: string, ownerId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<Page<Job>> {
    return this.queryPages('gsi1', 'gsi1pk', keys.ownerJobsPartition(orgId, ownerId), options, false);
  }

  /** The state's shards read in parallel and merged in scheduling order; the cursor holds one per shard. */
  async listByState(state: JobState, options: { limit: number; cursor?: string }): Promise<Page<Job>> {
    return mergeShards(
      options,
      (shard, cursor) =>
        this.queryPages(
          'gsi2',
          'gsi2pk',
          keys.jobStatePartition(state, shard),
          { limit: options.limit, ...(cursor ? { cursor } : {}) },
          true,
        ),
      { orderOf: schedulingKey, cursorAfter: (job) => encodeCursor({ ...keys.job(job.id), ...stateIndexKey(job) })! },
    );
  }

  /**
   * Reads pages until `limit` items passed the (optional) state filter or the partition ends. Index reads are
   * eventually consistent; each listed job is as fresh as the index, and writes stay conditional.
   */
  private async queryPages(
    indexName: string,
    partitionAttribute: string,
    partition: string,
    options: { state?: JobState; limit: number; cursor?: string },
    ascending: boolean,
  ): Promise<Page<Job>> {
    const items: Job[] = [];
    let startKey: Record<string, unknown> | undefined = decodeCursor(options.cursor, { attribute: partitionAttribute, value: partition });
    for (let round = 0; round < 10 && items.length < options.limit; round += 1) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': partitionAttribute, ...(options.state ? { '#state': 'state' } : {}) },
          ExpressionAttributeValues: { ':p': partition, ...(options.state ? { ':state': options.state } : {}) },
          ...(options.state ? { FilterExpression: '#state = :state' } : {}),
          ScanIndexForward: ascending,
          Limit: options.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        const job = DynamoJobRepository.read(item);
        if (job) items.push(job);
      }
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    const nextCursor = encodeCursor(startKey);
    return nextCursor ? { items, nextCursor } : { items };
  }

  async save(
    next: Job,
    expectedState: JobState,
    effects: readonly CounterEffect[] = [],
    events: readonly DomainEvent[] = [],
  ): Promise<SaveOutcome> {
    const put = {
      TableName: this.tableName,
      Item: this.item(next),
      ConditionExpression: 'attribute_exists(pk) AND #state = :expected',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':expected': expectedState },
    };
    if (effects.length === 0 && events.length === 0) {
      try {
        await this.doc.send(new PutCommand(put));
        return { ok: true, job: next };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return { ok: false, reason: 'state' };
        throw error;
      }
    }
    const counters = this.counterItems(effects);
    const result = await this.transact([{ Put: put }, ...counters.items, ...outboxPuts(this.tableName, events)]);
    if (result.ok) return { ok: true, job: next };
    if (result.code === 'TransactionConflict') return { ok: false, reason: 'conflict' };
    if (result.index === 0) return { ok: false, reason: 'state' };
    const counter = result.index !== undefined ? counters.updates[result.index - 1]?.counter : undefined;
    if (counter) return { ok: false, reason: 'counter', counter };
    throw new Error(`Job update failed (${result.code})`);
  }

  async saveAll(
    nexts: readonly Job[],
    expectedState: JobState,
    effects: readonly CounterEffect[],
    events: readonly DomainEvent[] = [],
  ): Promise<boolean> {
    const puts = nexts.map((next) => ({
      Put: {
        TableName: this.tableName,
        Item: this.item(next),
        ConditionExpression: 'attribute_exists(pk) AND #state = :expected',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':expected': expectedState },
      },
    }));
    const items = [...puts, ...this.counterItems(effects).items, ...outboxPuts(this.tableName, events)];
    if (items.length > MAX_TRANSACTION_ITEMS) throw new Error(`saveAll: ${items.length} items, above ${MAX_TRANSACTION_ITEMS}`);
    return (await this.transact(items)).ok;
  }

  async setWaiting(job: Job, expectedState: JobState, waiting: WaitingReason): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.job(job.id),
          UpdateExpression: 'SET #waiting = :waiting',
          ConditionExpression: 'attribute_exists(pk) AND #state = :expected',
          ExpressionAttributeNames: { '#waiting': 'waiting', '#state': 'state' },
          ExpressionAttributeValues: { ':waiting': waiting, ':expected': expectedState },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // moved on: the reason is stale anyway
    }
  }

  readCounters(counters: readonly string[]): Promise<Record<string, number>> {
    return readCounterValues(this.doc, this.tableName, counters);
  }
}
