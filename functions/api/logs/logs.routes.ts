import { jobIdParamsSchema, jobLogsQuerySchema, jobLogsSchema } from '#contracts/jobs.contract';
import { notFoundResponse, standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

/**
 * Job output has its own function: it is the only route that needs the CloudWatch Logs client and
 * `logs:` permissions, so the submit path neither loads that client nor holds those grants.
 */
export const logsRoutes = [
  {
    method: 'GET',
    path: '/v1/jobs/{id}/logs',
    operationId: 'getJobLogs',
    summary: "Read a job's output",
    access: 'job.view.own',
    tags: ['jobs'],
    request: { params: jobIdParamsSchema, query: jobLogsQuerySchema },
    responses: { 200: { description: 'Log lines, oldest first', schema: jobLogsSchema }, ...standardErrors, ...notFoundResponse('job') },
  },
] as const satisfies readonly RouteDeclaration[];
