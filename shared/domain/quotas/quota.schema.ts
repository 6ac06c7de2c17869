import * as z from 'zod/mini';

/** Quota types of docs/quotas.md. Concurrency metrics have no period; budgets and daily counts do. */
export const QUOTA_METRICS = ['concurrent_jobs', 'concurrent_gpus', 'gpu_hours', 'cost_usd', 'daily_jobs'] as const;
export const quotaMetricSchema = z.enum(QUOTA_METRICS);
export type QuotaMetric = z.infer<typeof quotaMetricSchema>;

export const quotaPeriodSchema = z.enum(['day', 'week', 'month']);
export type QuotaPeriod = z.infer<typeof quotaPeriodSchema>;

/**
 * Who a quota bounds: an org, a team, a user, every user of a level (a per-user limit), or one backend's
 * use within the org (the per-backend cost limits).
 */
export const quotaScopeTypeSchema = z.enum(['org', 'team', 'user', 'level', 'backend']);
export type QuotaScopeType = z.infer<typeof quotaScopeTypeSchema>;

export const quotaActionSchema = z.enum(['block', 'warn', 'notify']);
export type QuotaAction = z.infer<typeof quotaActionSchema>;

export const PERIODIC_METRICS: ReadonlySet<QuotaMetric> = new Set(['gpu_hours', 'cost_usd']);

/** The fields an admin sets; period is required exactly for GPU-hour and cost budgets. */
export const quotaInputSchema = z
  .strictObject({
    metric: quotaMetricSchema,
    period: z.optional(quotaPeriodSchema),
    scopeType: quotaScopeTypeSchema,
    /** Team id, user id, level name or backend kind; omitted for `org` (the caller's org). */
    scopeId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    limit: z.number().check(z.positive(), z.lte(1e9)),
    action: z._default(quotaActionSchema, 'block'),
    description: z.optional(z.string().check(z.maxLength(500))),
  })
  .check(
    z.superRefine((quota, ctx) => {
      if (PERIODIC_METRICS.has(quota.metric) && !quota.period) {
        ctx.addIssue({ code: 'custom', path: ['period'], message: `${quota.metric} needs a period: day, week or month` });
      }
      if (!PERIODIC_METRICS.has(quota.metric) && quota.period) {
        ctx.addIssue({ code: 'custom', path: ['period'], message: `${quota.metric} has no period` });
      }
      if (quota.scopeType !== 'org' && !quota.scopeId) {
        ctx.addIssue({ code: 'custom', path: ['scopeId'], message: `a ${quota.scopeType} quota names its ${quota.scopeType}` });
      }
      if (quota.scopeType === 'backend' && quota.metric !== 'cost_usd' && quota.metric !== 'gpu_hours') {
        ctx.addIssue({ code: 'custom', path: ['metric'], message: 'backend limits are cost_usd or gpu_hours budgets' });
      }
      if ((quota.metric === 'concurrent_jobs' || quota.metric === 'daily_jobs') && !Number.isInteger(quota.limit)) {
        ctx.addIssue({ code: 'custom', path: ['limit'], message: 'a job count is a whole number' });
      }
    }),
  );
export type QuotaInput = z.input<typeof quotaInputSchema>;

export const quotaSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string(),
  orgId: z.string(),
  metric: quotaMetricSchema,
  period: z.optional(quotaPeriodSchema),
  scopeType: quotaScopeTypeSchema,
  scopeId: z.string(),
  limit: z.number(),
  action: quotaActionSchema,
  description: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Quota = z.infer<typeof quotaSchema>;

/** Human name of a quota, used in waiting reasons and errors: "team vision concurrent_gpus (block, 8)". */
export function describeQuota(quota: Quota): string {
  const period = quota.period ? ` per ${quota.period}` : '';
  return `${quota.scopeType} ${quota.scopeId} ${quota.metric}${period} ≤ ${quota.limit} (${quota.action})`;
}

/** A quota as it applies to one job: which counter it reads and how much the job adds. */
export interface AppliedQuota {
  quota: Quota;
  counter: string;
  amount: number;
}
