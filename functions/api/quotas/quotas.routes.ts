import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  concurrencyLimitsSchema,
  costLimitStatusSchema,
  createQuotaBodySchema,
  myLimitsSchema,
  orgQuerySchema,
  quotaIdParamsSchema,
  quotaListSchema,
  quotaViewSchema,
  updateQuotaBodySchema,
  usageQuerySchema,
  usageReportSchema,
} from '#contracts/quotas.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;
const notFound = { 404: { description: 'Not found in your scope', schema: errorEnvelopeSchema } } as const;

/** Quotas, budgets, concurrency limits and usage (DESIGN §4.6). */
export const quotasRoutes = [
  {
    method: 'GET',
    path: '/v1/quotas',
    operationId: 'listQuotas',
    summary: "List the org's quotas (ceilings, budgets, per-backend cost limits)",
    access: 'org.view',
    tags: ['quotas'],
    request: { query: orgQuerySchema },
    responses: { 200: { description: 'Quotas', schema: quotaListSchema }, ...errors },
  },
  {
    method: 'POST',
    path: '/v1/quotas',
    operationId: 'createQuota',
    summary: "Create a quota; a team, user, level or backend quota may not exceed the org's ceiling (400)",
    access: 'admin.config',
    tags: ['quotas'],
    request: { query: orgQuerySchema, body: createQuotaBodySchema },
    responses: {
      201: { description: 'The quota', schema: quotaViewSchema },
      ...errors,
      409: { description: 'Same scope, metric and action exist', schema: errorEnvelopeSchema },
    },
  },
  {
    method: 'PATCH',
    path: '/v1/quotas/{id}',
    operationId: 'updateQuota',
    summary: 'Change a quota limit, action or description',
    access: 'admin.config',
    tags: ['quotas'],
    request: { params: quotaIdParamsSchema, query: orgQuerySchema, body: updateQuotaBodySchema },
    responses: { 200: { description: 'The quota', schema: quotaViewSchema }, ...errors, ...notFound },
  },
  {
    method: 'DELETE',
    path: '/v1/quotas/{id}',
    operationId: 'deleteQuota',
    summary: 'Delete a quota (running jobs keep and release what they hold)',
    access: 'admin.config',
    tags: ['quotas'],
    request: { params: quotaIdParamsSchema, query: orgQuerySchema },
    responses: { 204: { description: 'Deleted' }, ...errors, ...notFound },
  },
  {
    method: 'GET',
    path: '/v1/settings/limits',
    operationId: 'getConcurrencyLimits',
    summary: 'Global and per-user concurrency limits',
    access: 'config.view',
    tags: ['quotas'],
    responses: { 200: { description: 'Limits', schema: concurrencyLimitsSchema }, ...errors },
  },
  {
    method: 'PUT',
    path: '/v1/settings/limits',
    operationId: 'setConcurrencyLimits',
    summary: 'Set global (max_concurrent) and per-user (user_max_concurrent) concurrency limits (platform admins: they bind every org)',
    access: 'platform.config',
    tags: ['quotas'],
    request: { body: concurrencyLimitsSchema },
    responses: { 200: { description: 'Limits', schema: concurrencyLimitsSchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/cost-limits/status',
    operationId: 'getCostLimitStatus',
    summary: 'Per-backend cost limits of the org with this period’s use and status',
    access: 'org.view',
    tags: ['quotas'],
    responses: { 200: { description: 'Status of each backend cost limit', schema: costLimitStatusSchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/me/limits',
    operationId: 'getMyLimits',
    summary: 'Every limit that applies to me, its usage and headroom, and the effective headroom per metric',
    access: 'job.view.own',
    tags: ['quotas'],
    responses: { 200: { description: 'My limits', schema: myLimitsSchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/usage',
    operationId: 'getUsage',
    summary: 'GPU-hours, cost and job counts of a user, team or org per day over a period',
    access: 'job.view.own',
    tags: ['quotas'],
    request: { query: usageQuerySchema },
    responses: { 200: { description: 'Usage', schema: usageReportSchema }, ...errors, ...notFound },
  },
] as const satisfies readonly RouteDeclaration[];
