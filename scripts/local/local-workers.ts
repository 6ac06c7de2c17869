import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Runs `pass` one at a time, like the deployed scheduler's reserved concurrency of 1: a trigger while a
 * pass runs schedules exactly one more pass after it. Also runs on a fixed interval (the 1-minute schedule,
 * shortened locally).
 */
export function startSerialLoop(pass: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void) {
  let running = false;
  let again = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await pass().catch(onError);
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), intervalMs);
  return {
    trigger: () => void run(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/**
 * The local Lambda event source mapping for SQS: long-polls the queue, hands batches to the handler as an
 * SQS event, deletes what succeeded and leaves reported failures to reappear after the visibility timeout
 * (and reach the DLQ after maxReceiveCount), exactly like the deployed mapping with ReportBatchItemFailures.
 *
 * `ApproximateReceiveCount` is the number of times this mapping handed the message over, which is what SQS
 * reports: local-aws-sqs also counts every ChangeMessageVisibility as a receive (real SQS does not), so its own
 * count runs ahead for a handler that schedules its retries that way (the notifier; see local-notifications.ts).
 */
export function startSqsPoller(
  sqs: SQSClient,
  queueUrl: string,
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  onError: (error: unknown) => void,
) {
  let stopped = false;
  const handedOver = new Map<string, number>();
  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        // One message per receive: local-aws-sqs ends a long poll early only once it has MaxNumberOfMessages
        // messages, so asking for more would hold a lone dispatch for the whole wait (real SQS does not).
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 1,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0 || stopped) continue;
        const records = messages.map((message): SQSRecord => {
          const count = (handedOver.get(message.MessageId ?? '') ?? 0) + 1;
          handedOver.set(message.MessageId ?? '', count);
          // Messages that went to the DLQ are never seen again: keep the map bounded.
          if (handedOver.size > 10_000) handedOver.delete(handedOver.keys().next().value as string);
          return toRecord(message, count, queueUrl);
        });
        const { batchItemFailures } = await handler({ Records: records });
        const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
        const done = records.filter((record) => !failed.has(record.messageId));
        for (const record of done) handedOver.delete(record.messageId);
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
            }),
          );
        }
      } catch (error) {
        if (!stopped) {
          onError(error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** A received message as Lambda's SQS event record. */
function toRecord(message: Message, receiveCount: number, queueUrl: string): SQSRecord {
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueUrl,
    awsRegion: 'us-east-1',
  };
}
