import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors/app-error';
import type { CounterEffect, IdempotencyRecord, JobRepository, Page, SaveOutcome } from '../../domain/jobs/job-repository.port';
import { jobSchema, type Job, type JobState, type WaitingReason } from '../../domain/jobs/job.schema';
import { decodeCursor, encodeCursor } from './cursor';
import { jobIndexAttributes, keys, withoutKeys } from './keys';

/** Idempotency records live 24 hours (DynamoDB TTL; deletion may lag, the record stays authoritative). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** DynamoDB single-table implementation of the job store; validates what it writes and what it reads. */
export class DynamoJobRepository implements JobRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(job: Job): Record<string, unknown> {
    return { ...jobSchema.parse(job), ...keys.job(job.id), ...jobIndexAttributes(job) };
  }

  private static read(item: Record<string, unknown> | undefined): Job | undefined {
    return item ? jobSchema.parse(withoutKeys(item)) : undefined;
  }

  async create(job: Job, idempotency?: IdempotencyRecord): Promise<{ job: Job; created: boolean }> {
    const put = { TableName: this.tableName, Item: this.item(job), ConditionExpression: 'attribute_not_exists(pk)' };
    if (!idempotency) {
      await this.doc.send(new PutCommand(put));
      return { job, created: true };
    }
    const record = {
      ...keys.idempotency(job.ownerId, idempotency.key),
      jobId: job.id,
      fingerprint: idempotency.fingerprint,
      expiresAt: Math.floor(Date.parse(job.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: put }, { Put: { TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' } }],
        }),
      );
      return { job, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || failedIndex(error) !== 1) throw error;
    }
    const existing = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(job.ownerId, idempotency.key), ConsistentRead: true }),
    );
    if (existing.Item?.fingerprint !== idempotency.fingerprint) {
      throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used with a different job spec', {
        fields: [{ field: 'headers.idempotency-key', message: 'reused with a different body' }],
      });
    }
    const earlier = await this.get(String(existing.Item.jobId));
    if (!earlier) throw new AppError('conflict', 'The job created with this Idempotency-Key no longer exists');
    return { job: earlier, created: false };
  }

  async get(id: string): Promise<Job | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.job(id), ConsistentRead: true }));
    return DynamoJobRepository.read(result.Item);
  }

  async listByOwner(ownerId: string, options: { state?: JobState; limit: number; cursor?: string }): Promise<Page<Job>> {
    const partition = keys.ownerJobsPartition(ownerId);
    return this.queryPages('gsi1', 'gsi1pk', partition, options, false);
  }

  async listByState(state: JobState, options: { limit: number; cursor?: string }): Promise<Page<Job>> {
    return this.queryPages('gsi2', 'gsi2pk', keys.jobStatePartition(state), options, true);
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

  async save(next: Job, expectedState: JobState, effects: readonly CounterEffect[] = []): Promise<SaveOutcome> {
    const put = {
      TableName: this.tableName,
      Item: this.item(next),
      ConditionExpression: 'attribute_exists(pk) AND #state = :expected',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':expected': expectedState },
    };
    try {
      if (effects.length === 0) await this.doc.send(new PutCommand(put));
      else await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...effects.map((e) => ({ Update: this.counterUpdate(e) }))] }));
      return { ok: true, job: next };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { ok: false, reason: 'state' };
      if (!(error instanceof TransactionCanceledException)) throw error;
      const index = failedIndex(error);
      const effect = index !== undefined && index > 0 ? effects[index - 1] : undefined;
      if (index === 0) return { ok: false, reason: 'state' };
      if (effect) return { ok: false, reason: 'counter', counter: effect.counter };
      throw error; // conflicting concurrent transaction: let the caller's retry policy decide
    }
  }

  /** `ADD` keeps counters correct under concurrency; the condition keeps an increment within its limit. */
  private counterUpdate(effect: CounterEffect) {
    const limited = effect.limit !== undefined && effect.amount > 0;
    return {
      TableName: this.tableName,
      Key: keys.counter(effect.counter),
      UpdateExpression: 'ADD #value :amount',
      ...(limited ? { ConditionExpression: 'attribute_not_exists(#value) OR #value <= :ceiling' } : {}),
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':amount': effect.amount, ...(limited ? { ':ceiling': (effect.limit ?? 0) - effect.amount } : {}) },
    };
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

  async readCounters(counters: readonly string[]): Promise<Record<string, number>> {
    const values: Record<string, number> = Object.fromEntries(counters.map((c) => [c, 0]));
    if (counters.length === 0) return values;
    const result = await this.doc.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: counters.map((c) => keys.counter(c)), ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[this.tableName] ?? []) {
      const counter = String(item.pk).slice('COUNTER#'.length);
      values[counter] = Number(item.value ?? 0);
    }
    return values;
  }
}

/** Index of the first item whose condition failed in a cancelled transaction. */
function failedIndex(error: TransactionCanceledException): number | undefined {
  const index = error.CancellationReasons?.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
  return index === undefined || index < 0 ? undefined : index;
}

