import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { dispatchMessageSchema, type DispatchMessage } from '#domain/jobs/dispatch-message.schema';
import type { DispatchQueue } from '#domain/jobs/jobs.port';

/** Sends dispatch messages to the SQS queue the dispatcher consumes (redelivery and DLQ are the queue's). */
export class SqsDispatchQueue implements DispatchQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: DispatchMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(dispatchMessageSchema.parse(message)) }),
    );
  }
}
