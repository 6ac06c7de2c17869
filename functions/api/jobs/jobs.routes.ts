import { errorEnvelopeSchema } from '#contracts/common.contract';
import { idempotencyHeadersSchema, jobIdParamsSchema, jobListSchema, jobViewSchema, listJobsQuerySchema } from '#contracts/jobs.contract';
import { jobSubmissionBodySchema } from '#contracts/templates.contract';
import { notFoundResponse, standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = notFoundResponse('job');

export const jobsRoutes = [
  {
    method: 'POST',
    path: '/v1/jobs',
    operationId: 'submitJob',
    summary: 'Submit a GPU job',
    access: 'job.submit',
    tags: ['jobs'],
    request: { body: jobSubmissionBodySchema, headers: idempotencyHeadersSchema },
    responses: {
      201: { description: 'Job accepted (or, with a repeated Idempotency-Key, the job created before)', schema: jobViewSchema },
      ...errors,
      ...notFoundResponse('template named in `body.template`'),
      409: { description: 'Idempotency-Key reused with a different spec', schema: errorEnvelopeSchema },
      422: {
        description: 'Well-formed but cannot run: unknown hardware type, backend not offered, or a blocking quota it could never fit',
        schema: errorEnvelopeSchema,
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/jobs',
    operationId: 'listJobs',
    summary: 'List my jobs, newest first',
    access: 'job.view.own',
    tags: ['jobs'],
    request: { query: listJobsQuerySchema },
    responses: { 200: { description: 'A page of jobs', schema: jobListSchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/jobs/{id}',
    operationId: 'getJob',
    summary: 'Get a job, with why it is waiting',
    access: 'job.view.own',
    tags: ['jobs'],
    request: { params: jobIdParamsSchema },
    responses: { 200: { description: 'The job', schema: jobViewSchema }, ...errors, ...notFound },
  },
  {
    method: 'POST',
    path: '/v1/jobs/{id}/cancel',
    operationId: 'cancelJob',
    summary: 'Cancel a job that has not ended',
    access: 'job.cancel.own',
    tags: ['jobs'],
    request: { params: jobIdParamsSchema },
    responses: {
      200: { description: 'The cancelled job', schema: jobViewSchema },
      ...errors,
      ...notFound,
      409: { description: 'The job has already ended', schema: errorEnvelopeSchema },
    },
  },
] as const satisfies readonly RouteDeclaration[];
