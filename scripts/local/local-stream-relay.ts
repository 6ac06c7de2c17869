import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { isOutboxInsert, type OutboxStreamRecord } from '#adapters/dynamodb/outbox-stream';

export interface LocalStreamRelayOptions {
  /** For DescribeTable (the stream's ARN). */
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  /** The relay function's handler (`composeRelay`), exactly as the deployed event source mapping calls it. */
  handler: (event: { Records: readonly OutboxStreamRecord[] }) => Promise<DynamoDBBatchResponse>;
  /**
   * Where reading starts in the shards open at start: `latest` for the local stack (what a previous run left
   * was relayed by it, or will never be: see docs/architecture.md), `trim-horizon` to relay everything the
   * stream still holds (a restarted relay in tests). Shards that open later are always read from their start.
   */
  from: 'latest' | 'trim-horizon';
  /** Attempts of a failing batch before it is given up (the deployed mapping's retry bound, then its DLQ). */
  maxAttempts?: number;
  /** Records given up after `maxAttempts`: the local stand-in for the relay's DLQ. */
  onDeadLetter?: (records: readonly OutboxStreamRecord[]) => void;
  onError: (error: unknown) => void;
  /** Pause between polls when the stream is idle. */
  idleMs?: number;
  /**
   * `false`: no polling loop; the stream is read only when `drain()` is called. Tests use it, since they drain
   * before every look at the bus: a relay per test table polling DynamoDB Local in the background all the while
   * (a file keeps a dozen tables) slows every other test on the loaded emulator. Default true.
   */
  background?: boolean;
}

interface ShardCursor {
  iterator: string | undefined;
  /** Attempts of the batch that starts at the current position. */
  attempts: number;
  /** The last record read and relayed (a missing or expired iterator resumes after it). */
  last?: string;
  /** Where reading started, for a resume before any record was read. */
  start: 'LATEST' | 'TRIM_HORIZON';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The local Lambda event source mapping for the table's stream: polls DynamoDB Local's stream (DynamoDB
 * Streams API), keeps only new outbox items (the deployed filter, `isOutboxInsert`), hands each batch to the
 * relay handler, and on a reported failure re-reads from the failed record (AT_SEQUENCE_NUMBER), as Lambda
 * does with ReportBatchItemFailures; after `maxAttempts` the batch is given to `onDeadLetter`. One shard at a
 * time, parents before children, so events keep their stream order.
 */
export function startLocalStreamRelay(options: LocalStreamRelayOptions) {
  const maxAttempts = options.maxAttempts ?? 10;
  const cursors = new Map<string, ShardCursor>();
  const closed = new Set<string>();
  /** Shards DescribeStream reports closed (an ending sequence number): no next iterator then means done. */
  const ended = new Set<string>();
  let streamArn: string | undefined;
  let firstDescribe = true;
  let stopped = false;

  const iteratorFor = async (
    shardId: string,
    type: 'LATEST' | 'TRIM_HORIZON' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER',
    sequenceNumber?: string,
  ) =>
    (
      await options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: type,
          ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
        }),
      )
    ).ShardIterator;

  const discoverShards = async (): Promise<void> => {
    if (!streamArn) {
      const { Table } = await options.ddb.send(new DescribeTableCommand({ TableName: options.tableName }));
      streamArn = Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
    }
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    for (const shard of shards) if (shard.ShardId && shard.SequenceNumberRange?.EndingSequenceNumber) ended.add(shard.ShardId);
    for (const shard of shards) {
      const id = shard.ShardId;
      if (!id || cursors.has(id) || closed.has(id)) continue;
      const parent = shard.ParentShardId;
      if (parent && !closed.has(parent) && shards.some((s) => s.ShardId === parent)) continue; // parent first
      const type = firstDescribe && options.from === 'latest' ? 'LATEST' : 'TRIM_HORIZON';
      cursors.set(id, { iterator: await iteratorFor(id, type), attempts: 0, start: type });
    }
    firstDescribe = false;
  };

  /** Reads one batch of a shard and relays it; true when it read records (poll again at once). */
  const resume = (shardId: string, cursor: ShardCursor) =>
    cursor.last ? iteratorFor(shardId, 'AFTER_SEQUENCE_NUMBER', cursor.last) : iteratorFor(shardId, cursor.start);

  const pollShard = async (shardId: string, cursor: ShardCursor): Promise<boolean> => {
    if (!cursor.iterator) {
      if (ended.has(shardId)) {
        cursors.delete(shardId);
        closed.add(shardId);
        return false;
      }
      // No next iterator, yet the shard is open: emulators answer so at times (localstack#12483). Dropping the
      // shard would lose everything written to it later; read on after the last record instead.
      cursor.iterator = await resume(shardId, cursor);
    }
    let page;
    try {
      page = await options.streams.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 100 }));
    } catch (error) {
      // An iterator unused for 15 minutes expires (a laptop that slept): a new one after the last record. An
      // iterator behind the shard's oldest record (TrimmedDataAccessException: DynamoDB Local answers so at times in
      // long full-suite runs, and retrying it never succeeds) starts again at the oldest record; repeats keep their ids.
      const name = (error as Error).name;
      if (name === 'TrimmedDataAccessException') {
        cursors.set(shardId, { ...cursor, iterator: await iteratorFor(shardId, 'TRIM_HORIZON') });
        return true;
      }
      if (name !== 'ExpiredIteratorException') throw error;
      cursors.set(shardId, { ...cursor, iterator: await resume(shardId, cursor) });
      return true;
    }
    const { Records = [], NextShardIterator } = page;
    const batch = Records.filter((record: StreamRecord) => isOutboxInsert(record));
    const failedAt = batch.length > 0 ? await failedRecord(batch) : undefined;
    if (failedAt === undefined) {
      const last = Records.at(-1)?.dynamodb?.SequenceNumber ?? cursor.last;
      cursors.set(shardId, { ...cursor, iterator: NextShardIterator, attempts: 0, ...(last ? { last } : {}) });
      return Records.length > 0;
    }
    if (cursor.attempts + 1 >= maxAttempts) {
      options.onDeadLetter?.(
        batch.slice(
          Math.max(
            0,
            batch.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt),
          ),
        ),
      );
      const last = Records.at(-1)?.dynamodb?.SequenceNumber ?? cursor.last;
      cursors.set(shardId, { ...cursor, iterator: NextShardIterator, attempts: 0, ...(last ? { last } : {}) });
      return true;
    }
    // Lambda retries from the first failed record: everything from it on comes again, in order.
    await sleep(Math.min(1_000, 50 * 2 ** cursor.attempts));
    cursors.set(shardId, {
      ...cursor,
      iterator: await iteratorFor(shardId, 'AT_SEQUENCE_NUMBER', failedAt),
      attempts: cursor.attempts + 1,
    });
    return true;
  };

  /** The sequence number to retry from, or undefined when the whole batch was relayed. */
  const failedRecord = async (batch: readonly StreamRecord[]): Promise<string | undefined> => {
    try {
      const { batchItemFailures } = await options.handler({ Records: batch });
      const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
      return batch.find((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''))?.dynamodb?.SequenceNumber;
    } catch (error) {
      options.onError(error); // a handler that throws fails its whole batch
      return batch[0]?.dynamodb?.SequenceNumber;
    }
  };

  /** One pass over every open shard; true when any shard had records. */
  const pass = async (): Promise<boolean> => {
    await discoverShards();
    let busy = false;
    for (const [shardId, cursor] of [...cursors]) busy = (await pollShard(shardId, cursor)) || busy;
    return busy;
  };

  // Passes never overlap (the loop's and a drain's share the shard positions).
  let last: Promise<unknown> = Promise.resolve();
  const serialPass = (): Promise<boolean> => {
    const next = last.then(pass);
    last = next.catch(() => undefined);
    return next;
  };

  const ready = discoverShards();
  const running = (async () => {
    await ready.catch(options.onError);
    while (!stopped && options.background !== false) {
      try {
        if (!(await serialPass())) await sleep(options.idleMs ?? 100);
      } catch (error) {
        if (stopped) break;
        options.onError(error);
        await sleep(500);
      }
    }
  })();

  return {
    /** Resolves once the relay holds its starting positions (writes after it are relayed). */
    ready,
    /**
     * Relays everything the stream holds now: passes until one finds no new record. Tests call it where they
     * would otherwise wait for an event to arrive.
     */
    async drain(): Promise<void> {
      await ready;
      while (await serialPass());
    },
    /** Stops polling; a batch in flight finishes first. */
    async stop() {
      stopped = true;
      await running;
      await last;
    },
  };
}
