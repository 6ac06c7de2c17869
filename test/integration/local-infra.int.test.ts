/**
 * Proves that the local stand-ins behave like the AWS features our adapters rely on, so an adapter test that
 * passes here means something: DynamoDB Local transactions with conditions and GSI queries on the single
 * table design, and SQS redrive to the dead-letter queue.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '#scripts/local/table';
import { createTestQueues, createTestTable, type TestTable } from '#test-support/integration-env';

describe('DynamoDB Local with the single-table design', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable();
  });

  it('creates the table from table-design.ts, idempotently', async () => {
    await ensureTable(table.ddb, table.tableName);
    const { Table } = await table.ddb.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]).sort()).toEqual([
      ['gsi1', 'ALL'],
      ['gsi2', 'ALL'],
    ]);
    const ttl = await table.ddb.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('applies TransactWriteItems atomically and reports which condition failed', async () => {
    const { doc, tableName } = table;
    const put = (pk: string) => ({
      Put: {
        TableName: tableName,
        Item: { pk, sk: 'META', n: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    await doc.send(new TransactWriteCommand({ TransactItems: [put('A'), put('B')] }));

    // C is new but B already exists: the whole transaction must be cancelled, C included.
    const failure = await doc.send(new TransactWriteCommand({ TransactItems: [put('C'), put('B')] })).catch((e) => e);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect((failure as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    const c = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'C', sk: 'META' } }));
    expect(c.Item).toBeUndefined();

    // ConditionCheck + Update in one transaction: the pattern of a quota check guarding a state change.
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName,
              Key: { pk: 'A', sk: 'META' },
              ConditionExpression: 'n < :max',
              ExpressionAttributeValues: { ':max': 2 },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: { pk: 'B', sk: 'META' },
              UpdateExpression: 'SET n = n + :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
    const b = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: 'B', sk: 'META' } }));
    expect(b.Item?.n).toBe(2);
  });

  it('queries a GSI newest first and leaves items without the index keys out (sparse index)', async () => {
    const { doc, tableName } = table;
    const owner = 'USER#u1#JOBS';
    const items = [
      { pk: 'JOB#1', sk: 'META', gsi1pk: owner, gsi1sk: '2026-01-01T00:00:00Z#1', gsi2pk: 'JOBSTATE#QUEUED', gsi2sk: '1' },
      { pk: 'JOB#2', sk: 'META', gsi1pk: owner, gsi1sk: '2026-01-02T00:00:00Z#2' },
      { pk: 'JOB#3', sk: 'META', gsi1pk: 'USER#u2#JOBS', gsi1sk: '2026-01-03T00:00:00Z#3' },
    ];
    await doc.send(new TransactWriteCommand({ TransactItems: items.map((Item) => ({ Put: { TableName: tableName, Item } })) }));

    const byOwner = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :year)',
        ExpressionAttributeValues: { ':pk': owner, ':year': '2026-' },
        ScanIndexForward: false,
      }),
    );
    expect(byOwner.Items?.map((i) => i.pk)).toEqual(['JOB#2', 'JOB#1']);

    const queued = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :s',
        ExpressionAttributeValues: { ':s': 'JOBSTATE#QUEUED' },
      }),
    );
    expect(queued.Items?.map((i) => i.pk)).toEqual(['JOB#1']);
  });
});

describe('local SQS', () => {
  it('sends, receives and deletes', async () => {
    const { sqs, dispatchQueueUrl } = await createTestQueues();
    await sqs.send(new SendMessageCommand({ QueueUrl: dispatchQueueUrl, MessageBody: '{"jobId":"j1"}' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dispatchQueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages?.map((m) => m.Body)).toEqual(['{"jobId":"j1"}']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dispatchQueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dispatchQueueUrl, WaitTimeSeconds: 0 }));
    expect(after.Messages ?? []).toEqual([]);
  });

  it('moves a message that is received maxReceiveCount times without a delete to the DLQ', async () => {
    const { sqs, dispatchQueueUrl, dispatchDlqUrl } = await createTestQueues({
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 5,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: dispatchQueueUrl, MessageBody: 'poison' }));

    // A failing consumer: receive, never delete, let the visibility timeout hand the message out again.
    const receiveCounts: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dispatchQueueUrl,
          WaitTimeSeconds: 2,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          // local-aws-sqs 2.0 only reads the older (deprecated) parameter; real SQS accepts both.
          AttributeNames: ['All'],
        }),
      );
      const message = Messages?.[0];
      if (!message) break;
      receiveCounts.push(message.Attributes?.ApproximateReceiveCount ?? '?');
    }
    expect(receiveCounts).toEqual(['1', '2', '3', '4', '5']);

    const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dispatchDlqUrl, WaitTimeSeconds: 1 }));
    expect(dlq.Messages?.map((m) => m.Body)).toEqual(['poison']);
  });
});
