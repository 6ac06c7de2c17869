import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchJobLogReader } from '#adapters/cloudwatch-logs/cloudwatch-job-log.client';
import { AppError } from '#domain/errors/app-error';
import { jobSchema, type Job } from '#domain/jobs/job.schema';

const TASK_ID = '5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f';
const TASK_ARN = `arn:aws:ecs:eu-west-1:111122223333:task/qm-jobs/${TASK_ID}`;
const T0 = Date.parse('2025-06-01T12:00:00.000Z');

const makeJob = (overrides: Partial<Job> = {}): Job =>
  jobSchema.parse({
    schemaVersion: 1,
    id: '01J9ZQ4G7X2M8K3N5P6R7S8T9V',
    orgId: 'org-1',
    ownerId: 'user-1',
    spec: {
      name: 'train-llm',
      image: 'trainer:1.4',
      command: ['python', 'train.py'],
      hardwareType: 'gpu-a10g-1x',
      maxRuntimeMinutes: 120,
    },
    backend: 'ecs',
    state: 'running',
    priorityClass: 10,
    estimatedCostUsd: 2.02,
    gpuCount: 1,
    createdAt: '2025-06-01T11:59:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
    history: [{ state: 'running', at: '2025-06-01T12:00:00.000Z' }],
    runRef: TASK_ARN,
    version: 5,
    ...overrides,
  });

const logsMock = mockClient(CloudWatchLogsClient);
const reader = () => new CloudWatchJobLogReader({ logs: new CloudWatchLogsClient({}), logGroup: '/quartermaster/jobs' });

beforeEach(() => logsMock.reset());

describe('CloudWatchJobLogReader', () => {
  it('pages forward from the head of job/job/<task id> until the token repeats (mocked CloudWatch Logs)', async () => {
    logsMock
      .on(GetLogEventsCommand, { nextToken: undefined })
      .resolves({
        events: [
          { timestamp: T0, message: 'epoch 1' },
          { timestamp: T0 + 1000, message: 'epoch 2' },
        ],
        nextForwardToken: 'f/001',
      })
      .on(GetLogEventsCommand, { nextToken: 'f/001' })
      .resolves({ events: [{ timestamp: T0 + 2000, message: 'done' }], nextForwardToken: 'f/002' })
      .on(GetLogEventsCommand, { nextToken: 'f/002' })
      .resolves({ events: [], nextForwardToken: 'f/002' });
    const job = makeJob();

    const first = await reader().read(job, { limit: 2 });
    expect(first).toEqual({
      lines: [
        { at: '2025-06-01T12:00:00.000Z', stream: 'stdout', message: 'epoch 1' },
        { at: '2025-06-01T12:00:01.000Z', stream: 'stdout', message: 'epoch 2' },
      ],
      nextCursor: 'f/001',
    });
    const second = await reader().read(job, { cursor: first.nextCursor, limit: 2 });
    expect(second).toEqual({
      lines: [{ at: '2025-06-01T12:00:02.000Z', stream: 'stdout', message: 'done' }],
      nextCursor: 'f/002',
    });
    const third = await reader().read(job, { cursor: second.nextCursor, limit: 2 });
    expect(third).toEqual({ lines: [] });

    const calls = logsMock.commandCalls(GetLogEventsCommand).map((call) => call.args[0].input);
    expect(calls[0]).toEqual({
      logGroupName: '/quartermaster/jobs',
      logStreamName: `job/job/${TASK_ID}`,
      startFromHead: true,
      limit: 2,
    });
    expect(calls.map((input) => input.nextToken)).toEqual([undefined, 'f/001', 'f/002']);
  });

  it('returns no lines without calling CloudWatch for a job that has no runRef (mocked CloudWatch Logs)', async () => {
    expect(await reader().read(makeJob({ runRef: undefined, state: 'queued' }), { limit: 100 })).toEqual({ lines: [] });
    expect(logsMock.calls()).toHaveLength(0);
  });

  it('treats a stream that does not exist yet as no output (mocked CloudWatch Logs)', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }));
    expect(await reader().read(makeJob(), { limit: 100 })).toEqual({ lines: [] });
  });

  it('clamps the limit to what GetLogEvents accepts (mocked CloudWatch Logs)', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/000' });
    await reader().read(makeJob(), { limit: 50_000 });
    await reader().read(makeJob(), { limit: 0 });
    const limits = logsMock.commandCalls(GetLogEventsCommand).map((call) => call.args[0].input.limit);
    expect(limits).toEqual([10_000, 1]);
  });

  it('rejects a forged cursor as a validation error (mocked CloudWatch Logs)', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(new InvalidParameterException({ message: 'The specified nextToken is invalid.', $metadata: {} }));
    const error = await reader()
      .read(makeJob(), { cursor: 'f/forged', limit: 10 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed' });
  });
});
