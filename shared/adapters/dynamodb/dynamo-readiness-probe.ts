import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as keys from './table-keys';

/** Readiness probe: one cheap GetItem on the settings item proves the table answers with our permissions. */
export function dynamoReadinessProbe(doc: DynamoDBDocumentClient, tableName: string): () => Promise<void> {
  return async () => {
    await doc.send(new GetCommand({ TableName: tableName, Key: keys.limits(), ProjectionExpression: 'pk' }));
  };
}
