import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every adapter uses. `endpoint` is set only by the local stack and tests (DynamoDB
 * Local); deployed functions use the regional endpoint and the Lambda role's credentials.
 */
export function createDocumentClient(options: { endpoint?: string; client?: DynamoDBClient } = {}): DynamoDBDocumentClient {
  const client =
    options.client ??
    new DynamoDBClient(
      options.endpoint
        ? {
            endpoint: options.endpoint,
            region: process.env.AWS_REGION ?? 'us-east-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {},
    );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
