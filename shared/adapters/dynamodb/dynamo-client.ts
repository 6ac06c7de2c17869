import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

/**
 * The document client every adapter uses. `endpoint` is set only by the local stack and tests (DynamoDB
 * Local); deployed functions use the regional endpoint and the Lambda role's credentials. Either way the
 * client has bounded connection and request timeouts (`dependency-outage.ts`): a stalled table fails the
 * request within seconds (503) instead of hanging it.
 */
export function createDocumentClient(options: { endpoint?: string; client?: DynamoDBClient } = {}): DynamoDBDocumentClient {
  const client =
    options.client ??
    new DynamoDBClient({
      ...boundedAwsClientConfig(),
      ...(options.endpoint
        ? {
            endpoint: options.endpoint,
            region: process.env.AWS_REGION ?? 'us-east-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {}),
    });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
