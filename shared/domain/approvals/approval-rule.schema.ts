import * as z from 'zod/mini';
import { GLOB_PATTERN } from '#domain/authz/glob';
import { levelNameSchema } from '#domain/authz/permissions';
import { backendKindSchema } from '#domain/jobs/job.schema';

/**
 * Approval rules (docs/approvals.md): evaluated at submission in priority order, the first that matches requires
 * a sign-off. Field names follow the wire format of the rules API (`required_approver_level`, …), so a rule
 * reads the same in the table, in the API and in the docs.
 */
export const APPROVAL_CONDITIONS = [
  'cost_exceeds',
  'hardware_type',
  'daily_jobs_exceed',
  'first_job',
  'config_pattern',
  'provider',
] as const;
export const approvalConditionSchema = z.enum(APPROVAL_CONDITIONS);
export type ApprovalCondition = z.infer<typeof approvalConditionSchema>;

/** Conditions compared with a number (`threshold`), matched with a glob (`pattern`), or needing neither. */
export const NUMERIC_CONDITIONS: ReadonlySet<ApprovalCondition> = new Set(['cost_exceeds', 'daily_jobs_exceed']);
export const GLOB_CONDITIONS: ReadonlySet<ApprovalCondition> = new Set(['hardware_type', 'config_pattern', 'provider']);

/** Documented defaults: the next level up hears after 4 hours, the request expires after 24 hours. */
export const DEFAULT_ESCALATE_AFTER_MINUTES = 240;
export const DEFAULT_EXPIRE_AFTER_MINUTES = 1440;
/** Upper bound of a wait: 20 days (the state machine's own timeout is a day longer; timers stay below 2^31 ms). */
export const MAX_EXPIRE_AFTER_MINUTES = 20 * 24 * 60;

/** `org`: the org's own rule; `platform`: a platform admin's rule that applies in every org. */
export const ruleScopeSchema = z.enum(['org', 'platform']);
export type RuleScope = z.infer<typeof ruleScopeSchema>;

export const approvalRuleSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string().check(z.minLength(1)),
  scope: ruleScopeSchema,
  /** The owning org; platform rules carry the platform admin's org for the record only. */
  orgId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  description: z._default(z.string().check(z.maxLength(500)), ''),
  condition: approvalConditionSchema,
  threshold: z.optional(z.number().check(z.gte(0))),
  pattern: z.optional(z.string().check(z.regex(GLOB_PATTERN))),
  /** Higher first; equal priorities in creation order. */
  priority: z.number().check(z.int()),
  enabled: z.boolean(),
  required_approver_level: levelNameSchema,
  exempt_levels: z.array(levelNameSchema),
  applies_to_provider: z.optional(backendKindSchema),
  applies_to_level: z.optional(levelNameSchema),
  escalate_after_minutes: z.number().check(z.int(), z.gte(1)),
  expire_after_minutes: z.number().check(z.int(), z.gte(2), z.lte(MAX_EXPIRE_AFTER_MINUTES)),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
