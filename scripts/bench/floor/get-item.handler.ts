import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The cold-start FLOOR of docs/budgets.md: the least a function that talks to DynamoDB can be. It builds one
 * client at import (as our composition roots do) and calls GetItem; the bench bundles it with the same
 * esbuild settings as every Quartermaster function and compares bundle size and init time against it.
 */
const client = new DynamoDBClient({});

export const handler = async (event: { id?: string }): Promise<unknown> => {
  const result = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME ?? 'floor', Key: { pk: { S: event.id ?? 'floor' } } }),
  );
  return result.Item ?? null;
};
