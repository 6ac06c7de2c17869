import type { AppliedQuota } from '#domain/quotas/admission-plan';
import { describeQuota } from '#domain/quotas/quota.schema';
import type { DomainEvent } from './event-envelope';

export const QUOTA_EVENT_TYPES = ['quota.warning', 'quota.exceeded', 'cost.warning', 'cost.exceeded'] as const;
export type QuotaEventType = (typeof QUOTA_EVENT_TYPES)[number];

/** Share of a limit at which `warning` events start. */
export const WARNING_THRESHOLD = 0.8;

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
  return {
    id,
    type,
    time,
    orgId: quota.orgId,
    subject: `quota/${quota.id}`,
    version: 1,
    data: {
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
  };
}
