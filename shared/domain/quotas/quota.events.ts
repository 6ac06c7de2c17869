import * as z from 'zod/mini';
import {
  type AppliedQuota,
  describeQuota,
  quotaActionSchema,
  quotaMetricSchema,
  quotaPeriodSchema,
  quotaScopeTypeSchema,
} from '#domain/quotas/quota.schema';
import { envelope, type DomainEvent } from '#domain/events/event-envelope';

export const QUOTA_EVENT_TYPES = ['quota.warning', 'quota.exceeded', 'cost.warning', 'cost.exceeded'] as const;
export type QuotaEventType = (typeof QUOTA_EVENT_TYPES)[number];

/** Share of a limit at which `warning` events start. */
export const WARNING_THRESHOLD = 0.8;

export const quotaEventDataSchema = z.object({
  quotaId: z.string().check(z.describe('The quota')),
  quota: z.string().check(z.describe('The quota in words, e.g. "team vision gpu_hours per day ≤ 40 (block)"')),
  metric: quotaMetricSchema,
  scopeType: quotaScopeTypeSchema,
  scopeId: z.string().check(z.describe('The org, team, user, level or backend the quota bounds')),
  period: z.optional(quotaPeriodSchema),
  action: quotaActionSchema.check(z.describe('What the quota does when full: block, warn or notify')),
  limit: z.number().check(z.describe('The limit')),
  usage: z.number().check(z.describe('Usage including the job that crossed the threshold')),
  jobId: z.string().check(z.describe('The job whose admission crossed the threshold')),
});
export type QuotaEventData = z.infer<typeof quotaEventDataSchema>;

export const QUOTA_EVENT_DESCRIPTIONS: Record<QuotaEventType, string> = {
  'quota.warning': `A job's admission brought a quota (jobs, GPUs, GPU-hours) to ${WARNING_THRESHOLD * 100}% of its limit or more.`,
  'quota.exceeded': "A job's admission took a quota (jobs, GPUs, GPU-hours) past its limit (a `warn` or `notify` quota let it through).",
  'cost.warning': `A job's admission brought a dollar budget to ${WARNING_THRESHOLD * 100}% of its limit or more.`,
  'cost.exceeded': "A job's admission took a dollar budget past its limit (a `warn` or `notify` budget let it through).",
};

/** `cost.*` for dollar budgets, `quota.*` for everything else; `exceeded` past the limit, else `warning`. */
export function quotaEventType(applied: AppliedQuota, usage: number): QuotaEventType | undefined {
  const family = applied.quota.metric === 'cost_usd' ? 'cost' : 'quota';
  if (usage > applied.quota.limit) return `${family}.exceeded`;
  if (usage >= applied.quota.limit * WARNING_THRESHOLD) return `${family}.warning`;
  return undefined;
}

export function quotaEvent(
  type: QuotaEventType,
  applied: AppliedQuota,
  usage: number,
  jobId: string,
  id: string,
  time: string,
): DomainEvent {
  const { quota } = applied;
  return envelope(
    type,
    quotaEventDataSchema,
    { id, time, orgId: quota.orgId, subject: `quota/${quota.id}` },
    {
      quotaId: quota.id,
      quota: describeQuota(quota),
      metric: quota.metric,
      scopeType: quota.scopeType,
      scopeId: quota.scopeId,
      ...(quota.period ? { period: quota.period } : {}),
      action: quota.action,
      limit: quota.limit,
      usage,
      jobId,
    },
  );
}
