import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '#scripts/local/dynamodb-local';
import { ensureJava } from '#scripts/local/java';
import { startLocalSqs } from '#scripts/local/sqs-local';
import { ENDPOINT_ENV } from './provided-context';

interface Started {
  endpoint: string;
  stop(): Promise<void>;
}

/** Reuses the emulator named by an env var when set, otherwise starts one and reports how long it took. */
async function startOrReuse(label: string, envName: string, start: () => Promise<Started>): Promise<Started> {
  const given = process.env[envName];
  if (given) {
    console.log(`[integration] ${label}: reusing ${given} (${envName})`);
    return { endpoint: given, stop: async () => {} };
  }
  const startedAt = performance.now();
  const started = await start();
  console.log(`[integration] ${label}: ${started.endpoint} ready in ${Math.round(performance.now() - startedAt)} ms`);
  return started;
}

/**
 * One DynamoDB Local and one local SQS for the whole integration run: the JVM takes ~2 s to start, too much
 * per file. Files stay isolated by creating their own uniquely named tables and queues.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!process.env[ENDPOINT_ENV.dynamoDb]) ensureJava();
  const [dynamoDb, sqs] = await Promise.all([
    startOrReuse('DynamoDB Local', ENDPOINT_ENV.dynamoDb, () => startDynamoDbLocal()),
    startOrReuse('local SQS', ENDPOINT_ENV.sqs, () => startLocalSqs()),
  ]);
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await Promise.all([dynamoDb.stop(), sqs.stop()]);
  };
}
