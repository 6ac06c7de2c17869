import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EmailMessage, EmailTransport } from '#domain/notifications/notifications.port';

/**
 * The notifier's email transport: hands each rendered message to the email queue, which the email sender
 * function consumes and sends through SES v2. The notifier so carries no SES client (docs/budgets.md: the SES v2
 * client alone is about 0.19× the cold-start floor, because its protocol schemas are not tree-shaken). The
 * message counts as accepted once the queue has it, as it did once SES had it: SES's later refusals are
 * retried by the email sender and end in its dead-letter queue. Errors keep the SQS error's name only.
 */
export class SqsEmailQueue implements EmailTransport {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- an SQS message could quote the body: only its name is kept.
      throw new Error(`the email queue refused the message (${error instanceof Error ? error.name : 'unknown error'})`);
    }
  }
}
