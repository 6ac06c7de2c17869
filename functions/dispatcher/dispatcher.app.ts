import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dispatchMessageSchema } from '#domain/jobs/dispatch-message.schema';
import { handleDispatch, type DispatchDeps } from '#domain/job-flow/dispatch.service';

export interface DispatcherLog {
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * The dispatcher function: one SQS batch, partial batch failures. A message that fails (capacity, throttling)
 * is reported back and redelivered after the visibility timeout, then lands in the DLQ after maxReceiveCount.
 * A malformed message can never succeed, so it is dropped (and logged) instead of poisoning the queue.
 */
export function createDispatcher(deps: DispatchDeps, log: DispatcherLog) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const message = dispatchMessageSchema.safeParse(body);
      if (!message.success) {
        log.error('Dropping malformed dispatch message', { messageId: record.messageId });
        continue;
      }
      try {
        await handleDispatch(message.data, deps);
      } catch (error) {
        log.error('Dispatch failed; SQS will redeliver', {
          messageId: record.messageId,
          jobId: message.data.jobId,
          error: error instanceof Error ? error.name : 'unknown',
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
