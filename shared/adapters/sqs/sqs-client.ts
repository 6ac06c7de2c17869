import { SQSClient } from '@aws-sdk/client-sqs';

/** SQS client; `endpoint` only for local SQS in the local stack and tests. */
export function createSqsClient(endpoint?: string): SQSClient {
  return new SQSClient(
    endpoint
      ? { endpoint, region: process.env.AWS_REGION ?? 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
}
