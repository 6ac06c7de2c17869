import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '#adapters/dynamodb/table-design';

/** Whether the table exists, and whether its stream is on (a data dir from before the outbox has none). */
async function describeTable(client: DynamoDBClient, tableName: string): Promise<{ exists: boolean; streaming: boolean }> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return { exists: true, streaming: Table?.StreamSpecification?.StreamEnabled === true };
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return { exists: false, streaming: false };
    throw err;
  }
}

const STREAM_SPECIFICATION = { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView };

function createTableCommand(tableName: string): CreateTableCommand {
  const { partitionKey, sortKey, globalSecondaryIndexes } = TABLE_DESIGN;
  const keyNames = [partitionKey, sortKey, ...globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    // The outbox relay reads it, as the deployed relay reads the deployed table's (TABLE_DESIGN.streamView).
    StreamSpecification: STREAM_SPECIFICATION,
    AttributeDefinitions: [...new Set(keyNames)].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  });
}

/**
 * DynamoDB Local accepts the TTL setting (it does not delete expired items on a schedule, so tests must not
 * rely on expiry). Enabling it twice is an error, hence the describe first; any refusal is not fatal locally.
 */
async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.ttlAttribute, Enabled: true },
      }),
    );
  } catch {
    // TTL is a retention nicety, not something local runs depend on.
  }
}

/**
 * Creates the single table (design from `shared/adapters/dynamodb/table-design.ts`, stream included) unless it
 * exists, turns the stream on for a table kept from before it had one, and waits until it is ACTIVE. Idempotent and safe to race: a concurrent creator's ResourceInUse is success.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const table = await describeTable(client, tableName);
  if (!table.exists) {
    try {
      await client.send(createTableCommand(tableName));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  if (table.exists && !table.streaming) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM_SPECIFICATION }));
  }
  await enableTtl(client, tableName);
}
