import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import type { JobLogReader, JobRepository } from '#domain/jobs/jobs.port';
import { readJobLogs } from '#domain/jobs/job-queries.service';
import { isTerminal, type Job } from '#domain/jobs/job.schema';
import { createApiHandler } from '#http/api-handler';
import { logsRoutes } from './logs.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import type { LogsEnv } from './logs.env';

export interface LogsDeps {
  jobs: JobRepository;
  /** The reader for the backend the job ran on (CloudWatch Logs for ECS; the run folder locally). */
  logs: (job: Job) => JobLogReader;
  principalGate?: PrincipalGate;
  audit?: AuditLog;
}

/** Job output: the job must be visible to the caller (same rule as `GET /v1/jobs/{id}`), then its backend's log reader pages through it. */
export function createLogsHandler(deps: LogsDeps) {
  return createApiHandler(
    logsRoutes,
    {
      getJobLogs: async ({ principal, params, query }) => {
        const { job, lines, nextCursor } = await readJobLogs(principal, params.id, query, deps);
        return {
          status: 200,
          body: { jobId: job.id, lines, ...(nextCursor ? { nextCursor } : {}), complete: isTerminal(job.state) && !nextCursor },
        };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The job-output function, as Lambda, the local stack and the tests build it; `jobOutput` is CloudWatch Logs when deployed. */
export function composeLogs(env: LogsEnv, runtime: ApiRuntime & { jobOutput: LogsDeps['logs'] }) {
  const { options } = composeApiAccess(env, runtime);
  return createLogsHandler({ jobs: new DynamoJobRepository(runtime.doc, env.QM_TABLE_NAME), logs: runtime.jobOutput, ...options });
}
