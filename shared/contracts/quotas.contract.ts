import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import {
  quotaActionSchema,
  quotaInputSchema,
  quotaMetricSchema,
  quotaPeriodSchema,
  quotaSchema,
  quotaScopeTypeSchema,
} from '#domain/quotas/quota.schema';

export const quotaViewSchema = lazySchema(() => z.omit(quotaSchema, { schemaVersion: true }).register(z.globalRegistry, { id: 'Quota' }));
export const quotaListSchema = lazySchema(() =>
  z.object({ items: z.array(quotaViewSchema()) }).register(z.globalRegistry, { id: 'QuotaList' }),
);
export const createQuotaBodySchema = quotaInputSchema.clone().register(z.globalRegistry, { id: 'QuotaInput' });
export const updateQuotaBodySchema = z
  .strictObject({
    limit: z.optional(z.number().check(z.positive(), z.lte(1e9))),
    action: z.optional(quotaActionSchema),
    description: z.optional(z.string().check(z.maxLength(500))),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, { message: 'change at least one of limit, action, description' }))
  .register(z.globalRegistry, { id: 'QuotaUpdate' });
export const quotaIdParamsSchema = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a quota id')) });
export const orgQuerySchema = z.object({
  orgId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))).check(z.describe('Platform admins only: another org')),
});

export const concurrencyLimitsSchema = z
  .strictObject({
    maxConcurrent: z.number().check(z.int(), z.gte(1), z.lte(100_000)),
    userMaxConcurrent: z.number().check(z.int(), z.gte(1), z.lte(100_000)),
  })
  .register(z.globalRegistry, { id: 'ConcurrencyLimits' });

export const limitViewSchema = lazySchema(() =>
  z.object({
    quotaId: z.optional(z.string()),
    source: z.enum(['quota', 'user_max_concurrent', 'max_concurrent']),
    metric: quotaMetricSchema,
    period: z.optional(quotaPeriodSchema),
    scopeType: z.union([quotaScopeTypeSchema, z.literal('global')]),
    scopeId: z.string(),
    action: quotaActionSchema,
    limit: z.number(),
    used: z.number(),
    headroom: z.number(),
    resetsAt: z.optional(z.string()),
  }),
);
export const myLimitsSchema = lazySchema(() =>
  z
    .object({
      limits: z.array(limitViewSchema()),
      effective: z.array(
        z.object({ metric: quotaMetricSchema, period: z.optional(quotaPeriodSchema), headroom: z.number(), boundBy: z.string() }),
      ),
    })
    .register(z.globalRegistry, { id: 'MyLimits' }),
);

const isoDay = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD'),
  z.refine(
    (day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
    'not a calendar date',
  ),
);
export const usageQuerySchema = z.object({
  orgId: z
    .optional(z.string().check(z.minLength(1), z.maxLength(64)))
    .check(z.describe("Platform admins only: the org of a team or user scope (default: the caller's)")),
  scopeType: z._default(z.enum(['org', 'team', 'user']), 'user'),
  scopeId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  from: isoDay,
  to: isoDay,
});
export const usageReportSchema = lazySchema(() =>
  z
    .object({
      scopeType: z.enum(['org', 'team', 'user']),
      scopeId: z.string(),
      from: z.string(),
      to: z.string(),
      total: z.object({ gpuHours: z.number(), costUsd: z.number(), jobs: z.number() }),
      days: z.array(z.object({ day: z.string(), gpuHours: z.number(), costUsd: z.number(), jobs: z.number() })),
    })
    .register(z.globalRegistry, { id: 'UsageReport' }),
);

export const costLimitStatusSchema = lazySchema(() =>
  z
    .object({
      items: z.array(
        z.object({
          quotaId: z.string(),
          backend: z.string(),
          metric: quotaMetricSchema,
          period: quotaPeriodSchema,
          action: quotaActionSchema,
          limit: z.number(),
          used: z.number(),
          percent: z.number(),
          status: z.enum(['ok', 'warning', 'exceeded']),
          resetsAt: z.string(),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'CostLimitStatus' }),
);
