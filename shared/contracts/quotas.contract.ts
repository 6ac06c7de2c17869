import * as z from 'zod';
import { quotaActionSchema, quotaInputSchema, quotaMetricSchema, quotaPeriodSchema, quotaSchema, quotaScopeTypeSchema } from '../domain/quotas/quota.schema';

export const quotaViewSchema = quotaSchema.omit({ schemaVersion: true }).meta({ id: 'Quota' });
export const quotaListSchema = z.object({ items: z.array(quotaViewSchema) }).meta({ id: 'QuotaList' });
export const createQuotaBodySchema = quotaInputSchema.meta({ id: 'QuotaInput' });
export const updateQuotaBodySchema = z
  .object({ limit: z.number().positive().max(1e9).optional(), action: quotaActionSchema.optional(), description: z.string().max(500).optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one of limit, action, description' })
  .meta({ id: 'QuotaUpdate' });
export const quotaIdParamsSchema = z.object({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a quota id') });
export const orgQuerySchema = z.object({ orgId: z.string().min(1).max(64).optional().describe('Platform admins only: another org') });

export const concurrencyLimitsSchema = z
  .object({ maxConcurrent: z.number().int().min(1).max(100_000), userMaxConcurrent: z.number().int().min(1).max(100_000) })
  .strict()
  .meta({ id: 'ConcurrencyLimits' });

export const limitViewSchema = z.object({
  quotaId: z.string().optional(),
  source: z.enum(['quota', 'user_max_concurrent', 'max_concurrent']),
  metric: quotaMetricSchema,
  period: quotaPeriodSchema.optional(),
  scopeType: z.union([quotaScopeTypeSchema, z.literal('global')]),
  scopeId: z.string(),
  action: quotaActionSchema,
  limit: z.number(),
  used: z.number(),
  headroom: z.number(),
  resetsAt: z.string().optional(),
});
export const myLimitsSchema = z
  .object({
    limits: z.array(limitViewSchema),
    effective: z.array(
      z.object({ metric: quotaMetricSchema, period: quotaPeriodSchema.optional(), headroom: z.number(), boundBy: z.string() }),
    ),
  })
  .meta({ id: 'MyLimits' });

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'not a calendar date');
export const usageQuerySchema = z.object({
  scopeType: z.enum(['org', 'team', 'user']).default('user'),
  scopeId: z.string().min(1).max(128).optional(),
  from: isoDay,
  to: isoDay,
});
export const usageReportSchema = z
  .object({
    scopeType: z.enum(['org', 'team', 'user']),
    scopeId: z.string(),
    from: z.string(),
    to: z.string(),
    total: z.object({ gpuHours: z.number(), costUsd: z.number(), jobs: z.number() }),
    days: z.array(z.object({ day: z.string(), gpuHours: z.number(), costUsd: z.number(), jobs: z.number() })),
  })
  .meta({ id: 'UsageReport' });

export const costLimitStatusSchema = z
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
  .meta({ id: 'CostLimitStatus' });
