import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { EventDispatchQueue } from '#adapters/events/event-dispatch-queue.client';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { SqsDispatchQueue } from '#adapters/sqs/sqs-dispatch-queue.client';
import { DISPATCH_REQUEST_PATTERN } from '#domain/event-catalog/event-rules';
import { dispatchMessageSchema } from '#domain/jobs/dispatch-message.schema';
import { createTestQueues } from '#test-support/integration-env';

/**
 * Dispatch requests go out as `job.dispatch_requested` events; the rule built from DISPATCH_REQUEST_PATTERN
 * delivers `detail.data` to the dispatch queue (EventBridge in AWS, the in-process bus locally, local SQS).
 */
describe('dispatch requests routed through the bus to SQS (local SQS)', () => {
  it('delivers exactly the dispatch message, and nothing for other events', async () => {
    const queues = await createTestQueues();
    const bus = new InProcessEventBus();
    const sqs = new SqsDispatchQueue(queues.sqs, queues.dispatchQueueUrl);
    bus.subscribe(DISPATCH_REQUEST_PATTERN, (event) => sqs.send(dispatchMessageSchema.parse(event.data)));
    const dispatch = new EventDispatchQueue(bus, ulidSource(), systemClock);

    await dispatch.send({ action: 'launch', jobId: '01JOBLAUNCH000000000000000' });
    await dispatch.send({ action: 'stop', jobId: '01JOBSTOP00000000000000000', reason: 'Cancelled by user' });
    await bus.publish([
      {
        id: 'e1',
        type: 'job.submitted',
        time: new Date().toISOString(),
        orgId: 'acme',
        subject: 'job/x',
        data: { jobId: 'x' },
        version: 1,
      },
    ]);

    const bodies: unknown[] = [];
    for (let attempt = 0; attempt < 10 && bodies.length < 2; attempt += 1) {
      const received = await queues.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queues.dispatchQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      bodies.push(...(received.Messages ?? []).map((m) => JSON.parse(m.Body ?? 'null')));
    }
    expect(bodies).toEqual(
      expect.arrayContaining([
        { action: 'launch', jobId: '01JOBLAUNCH000000000000000' },
        { action: 'stop', jobId: '01JOBSTOP00000000000000000', reason: 'Cancelled by user' },
      ]),
    );
    expect(bodies).toHaveLength(2);
    expect(bus.published.filter((e) => e.type === 'job.dispatch_requested').map((e) => e.orgId)).toEqual(['system', 'system']);
  });
});
