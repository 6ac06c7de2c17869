import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { emailMessageSchema } from '#domain/notifications/email-message.schema';
import type { EmailTransport } from '#domain/notifications/notifications.port';
import type { EmailSenderEnv } from './email-sender.env';

/** Log lines name messages and errors, never an address, subject or body. */
export interface EmailSenderLog {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

function parseMessage(body: string) {
  try {
    return emailMessageSchema.parse(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/**
 * The email sender function: SQS batches of rendered emails that the notifier queued (one message per
 * recipient), each sent through the transport (SES v2 from the stage's verified sender), with partial batch
 * failures. A message SES did not accept comes back after the queue's visibility timeout; after
 * `maxAttempts` receives SQS moves it to the dead-letter queue. A message that is not an email can never
 * succeed: dropped and logged. It exists so that only this small function carries the SES client
 * (docs/budgets.md), not the notifier.
 */
export function createEmailSender(transport: EmailTransport, options: { maxAttempts: number; log: EmailSenderLog }) {
  return async (batch: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of batch.Records) {
      const message = parseMessage(record.body);
      if (!message) {
        options.log.error('Dropping an email-queue message that is not an email', { messageId: record.messageId });
        continue;
      }
      const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
      try {
        await transport.send(message);
      } catch (error) {
        // Transport errors name the refusal, never the recipient (SesV2EmailTransport keeps SES's error name only).
        const details = { messageId: record.messageId, attempt, error: error instanceof Error ? error.message : 'unknown' };
        if (attempt >= options.maxAttempts) options.log.error('Email given up; to the DLQ', details);
        else options.log.warn('Email not accepted; retrying after the visibility timeout', details);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** The email sender, as Lambda, the local stack and the tests build it (locally: SMTP to the dev mailbox). */
export function composeEmailSender(env: EmailSenderEnv, edges: { email: EmailTransport; log: EmailSenderLog }) {
  return createEmailSender(edges.email, { maxAttempts: env.QM_EMAIL_MAX_ATTEMPTS, log: edges.log });
}
