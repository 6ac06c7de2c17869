import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface WorkQueueProps {
  /** The consumer's timeout × 6, as AWS advises for a Lambda event source (a batch may be retried within it). */
  consumerTimeout: Duration;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** How long an unconsumed message waits (SQS default: 4 days). */
  retentionPeriod?: Duration;
}

/**
 * A Lambda-fed work queue and its dead-letter queue, both encrypted and TLS-only; the dead letters are kept 14
 * days, the longest SQS allows, for an operator to inspect and redrive. Construct ids `<prefix>Queue` and
 * `<prefix>DeadLetterQueue`, so the stacks' logical ids do not move.
 */
export function workQueue(scope: Construct, prefix: string, props: WorkQueueProps): { queue: Queue; deadLetterQueue: Queue } {
  const deadLetterQueue = new Queue(scope, `${prefix}DeadLetterQueue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new Queue(scope, `${prefix}Queue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
    ...(props.retentionPeriod ? { retentionPeriod: props.retentionPeriod } : {}),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}
