import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Sets when a failed message comes back: its visibility timeout, changed for this one receive (SQS allows up
 * to 12 hours). With ReportBatchItemFailures, Lambda leaves a reported message's visibility as it is, so
 * this is what makes a retry honour the backoff and the target's `Retry-After`.
 */
export class SqsRedelivery {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async retryIn(receiptHandle: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }
}
