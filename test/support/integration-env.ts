import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { localClientConfig } from '#scripts/local/local-aws';
import { ensureQueues, type DispatchQueues, type QueueOptions } from '#scripts/local/sqs-local';
import { ensureTable } from '#scripts/local/table';
import { ENDPOINT_ENV } from './provided-context';

function endpoint(key: 'dynamoDbEndpoint' | 'sqsEndpoint', envName: string): string {
  const value = inject(key) ?? process.env[envName];
  if (!value) {
    throw new Error(
      `no ${key}: these helpers need the integration project's global setup (test/integration/**/*.int.test.ts) or ${envName}`,
    );
  }
  return value;
}

/** Endpoints of the emulators started by `test/support/global-setup.ts` for this run (or given by env). */
export function localEndpoints(): { dynamoDb: string; sqs: string } {
  return {
    dynamoDb: endpoint('dynamoDbEndpoint', ENDPOINT_ENV.dynamoDb),
    sqs: endpoint('sqsEndpoint', ENDPOINT_ENV.sqs),
  };
}

/** Unique per call, so test files running in parallel against one emulator never share a table or queue. */
export function uniqueName(kind: string): string {
  return `qm-${kind}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface TestTable {
  tableName: string;
  /** Low-level client, for table-level calls and for adapters that take one. */
  ddb: DynamoDBClient;
  /** Document client configured exactly like the adapters' (`createDocumentClient`). */
  doc: DynamoDBDocumentClient;
}

/** Creates a fresh single table (the production design) on the run's DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const tableName = uniqueName('table');
  const ddb = new DynamoDBClient(localClientConfig(localEndpoints().dynamoDb));
  await ensureTable(ddb, tableName);
  return { tableName, ddb, doc: createDocumentClient({ client: ddb }) };
}

export interface TestQueues extends DispatchQueues {
  prefix: string;
  sqs: SQSClient;
}

/** Creates a fresh dispatch queue + DLQ on the run's local SQS; options as for `ensureQueues`. */
export async function createTestQueues(options: Omit<QueueOptions, 'prefix'> = {}): Promise<TestQueues> {
  const prefix = uniqueName('q');
  const sqs = new SQSClient(localClientConfig(localEndpoints().sqs));
  const queues = await ensureQueues(sqs, { ...options, prefix });
  return { prefix, sqs, ...queues };
}
