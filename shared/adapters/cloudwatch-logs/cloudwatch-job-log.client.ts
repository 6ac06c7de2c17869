import {
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { JobLogReader, LogLine } from '#domain/jobs/jobs.port';
import { validationFailed } from '#domain/errors/app-error';
import type { Job } from '#domain/jobs/job.schema';
import { jobLogStreamName } from '#adapters/ecs/ecs-task-definition';

export interface CloudWatchJobLogReaderConfig {
  logs: CloudWatchLogsClient;
  /** The group the job tasks' awslogs driver writes to (`QM_JOB_LOG_GROUP`). */
  logGroup: string;
}

/** GetLogEvents returns at most 10,000 events per call. */
const MAX_EVENTS_PER_CALL = 10_000;

/**
 * Reads the output of ECS job tasks from CloudWatch Logs, oldest first.
 *
 * - The stream is `job/job/<task id>` (awslogs stream prefix / container name / task id), derived from the
 *   job's `runRef` (the task ARN), so a caller can never point the reader at another job's stream.
 * - The cursor is CloudWatch's `nextForwardToken`, passed through untouched. CloudWatch signals the end of
 *   the stream by returning the token it was given: then `nextCursor` is omitted. A client that tails a
 *   running job keeps its last cursor and polls again with it later.
 * - Every line is reported as `stdout`: awslogs merges stdout and stderr into one stream and does not
 *   record which one a line came from.
 */
export class CloudWatchJobLogReader implements JobLogReader {
  constructor(private readonly config: CloudWatchJobLogReaderConfig) {}

  async read(job: Job, options: { cursor?: string; limit: number }): Promise<{ lines: LogLine[]; nextCursor?: string }> {
    // Not launched yet: there is no stream to read.
    if (!job.runRef) return { lines: [] };

    let response;
    try {
      response = await this.config.logs.send(
        new GetLogEventsCommand({
          logGroupName: this.config.logGroup,
          logStreamName: jobLogStreamName(job.runRef),
          startFromHead: true,
          limit: Math.min(Math.max(Math.trunc(options.limit), 1), MAX_EVENTS_PER_CALL),
          ...(options.cursor ? { nextToken: options.cursor } : {}),
        }),
      );
    } catch (error) {
      // The stream appears only once the container has started (and never if the image could not be
      // pulled): no output yet, not an error.
      if (error instanceof ResourceNotFoundException) return { lines: [] };
      // The cursor is the only caller-controlled input; CloudWatch rejects a forged or stale one.
      if (error instanceof InvalidParameterException && options.cursor) {
        throw validationFailed([{ field: 'query.cursor', message: 'Invalid or expired log cursor' }]);
      }
      throw error;
    }

    const lines: LogLine[] = (response.events ?? []).map((event) => ({
      at: new Date(event.timestamp ?? event.ingestionTime ?? 0).toISOString(),
      stream: 'stdout',
      message: event.message ?? '',
    }));
    const token = response.nextForwardToken;
    const atEnd = !token || token === options.cursor;
    return atEnd ? { lines } : { lines, nextCursor: token };
  }
}
