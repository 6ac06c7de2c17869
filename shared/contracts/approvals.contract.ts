import * as z from 'zod/mini';
import { GLOB_PATTERN } from '#domain/authz/glob';
import { levelNameSchema } from '#domain/authz/permissions';
import {
  APPROVAL_CONDITIONS,
  DEFAULT_ESCALATE_AFTER_MINUTES,
  DEFAULT_EXPIRE_AFTER_MINUTES,
  GLOB_CONDITIONS,
  MAX_EXPIRE_AFTER_MINUTES,
  NUMERIC_CONDITIONS,
  type ApprovalRule,
} from '#domain/approvals/approval-rule.schema';
import { APPROVAL_STATES, type ApprovalRequest } from '#domain/jobs/approval-request.schema';
import { backendKindSchema } from '#domain/jobs/job.schema';
import { paginationQuerySchema } from './common.contract';
import { lazySchema } from './lazy-schema';

export const approvalRuleIdParamsSchema = z.object({ ruleId: z.string().check(z.regex(/^[a-z0-9]{1,64}$/, 'a rule id')) });
export const approvalIdParamsSchema = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an approval id')) });

/**
 * An approval rule as written through the API (field names as in docs/approvals.md). `threshold` is a number (a
 * numeric string is accepted) for `cost_exceeds` (USD) and `daily_jobs_exceed`; `pattern` a glob for
 * `hardware_type`, `config_pattern` (template name) and `provider` (backend); `first_job` takes neither.
 */
export const approvalRuleBodySchema = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    description: z.optional(z.string().check(z.maxLength(500))),
    condition: z.enum(APPROVAL_CONDITIONS),
    threshold: z
      .optional(z.coerce.number().check(z.gte(0), z.lte(1e9)))
      .check(z.describe('cost_exceeds: USD; daily_jobs_exceed: jobs per day')),
    pattern: z
      .optional(z.string().check(z.regex(GLOB_PATTERN, 'a glob of 1-128 printable characters without spaces')))
      .check(z.describe('hardware_type, config_pattern, provider: `*` any run, `?` one character')),
    priority: z.optional(z.number().check(z.int(), z.gte(-1000), z.lte(1000))).check(z.describe('Higher first; default 0')),
    enabled: z.optional(z.boolean()),
    required_approver_level: z.optional(levelNameSchema).check(z.describe('Default lead')),
    exempt_levels: z.optional(z.array(levelNameSchema).check(z.maxLength(20))),
    applies_to_provider: z.optional(backendKindSchema),
    applies_to_level: z.optional(levelNameSchema),
    escalate_after_minutes: z
      .optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_EXPIRE_AFTER_MINUTES - 1)))
      .check(z.describe(`Default ${DEFAULT_ESCALATE_AFTER_MINUTES}`)),
    expire_after_minutes: z
      .optional(z.number().check(z.int(), z.gte(2), z.lte(MAX_EXPIRE_AFTER_MINUTES)))
      .check(z.describe(`Default ${DEFAULT_EXPIRE_AFTER_MINUTES}`)),
    scope: z.optional(z.enum(['org', 'platform'])).check(z.describe('platform: applies in every org (platform admins only)')),
  })
  .check(
    z.superRefine((rule, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (NUMERIC_CONDITIONS.has(rule.condition) && rule.threshold === undefined) issue('threshold', `${rule.condition} needs a threshold`);
      if (!NUMERIC_CONDITIONS.has(rule.condition) && rule.threshold !== undefined)
        issue('threshold', `${rule.condition} takes no threshold`);
      if (GLOB_CONDITIONS.has(rule.condition) && rule.pattern === undefined) issue('pattern', `${rule.condition} needs a pattern`);
      if (!GLOB_CONDITIONS.has(rule.condition) && rule.pattern !== undefined) issue('pattern', `${rule.condition} takes no pattern`);
      if (rule.condition === 'daily_jobs_exceed' && rule.threshold !== undefined && !Number.isInteger(rule.threshold))
        issue('threshold', 'a whole number of jobs');
      const escalate = rule.escalate_after_minutes ?? DEFAULT_ESCALATE_AFTER_MINUTES;
      const expire = rule.expire_after_minutes ?? DEFAULT_EXPIRE_AFTER_MINUTES;
      if (escalate >= expire) issue('escalate_after_minutes', `must be below expire_after_minutes (${expire})`);
    }),
  )
  .register(z.globalRegistry, { id: 'ApprovalRuleInput' });

export const approvalRuleViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      scope: z.enum(['org', 'platform']),
      name: z.string(),
      description: z.string(),
      condition: z.enum(APPROVAL_CONDITIONS),
      threshold: z.optional(z.number()),
      pattern: z.optional(z.string()),
      priority: z.number(),
      enabled: z.boolean(),
      required_approver_level: z.string(),
      exempt_levels: z.array(z.string()),
      applies_to_provider: z.optional(z.string()),
      applies_to_level: z.optional(z.string()),
      escalate_after_minutes: z.number(),
      expire_after_minutes: z.number(),
      createdBy: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .register(z.globalRegistry, { id: 'ApprovalRule' }),
);
export type ApprovalRuleView = z.infer<ReturnType<typeof approvalRuleViewSchema>>;

export const approvalRuleListSchema = lazySchema(() =>
  z.object({ items: z.array(approvalRuleViewSchema()) }).register(z.globalRegistry, { id: 'ApprovalRuleList' }),
);

export function toApprovalRuleView(rule: ApprovalRule): ApprovalRuleView {
  return {
    id: rule.id,
    scope: rule.scope,
    name: rule.name,
    description: rule.description,
    condition: rule.condition,
    ...(rule.threshold !== undefined ? { threshold: rule.threshold } : {}),
    ...(rule.pattern !== undefined ? { pattern: rule.pattern } : {}),
    priority: rule.priority,
    enabled: rule.enabled,
    required_approver_level: rule.required_approver_level,
    exempt_levels: rule.exempt_levels,
    ...(rule.applies_to_provider ? { applies_to_provider: rule.applies_to_provider } : {}),
    ...(rule.applies_to_level ? { applies_to_level: rule.applies_to_level } : {}),
    escalate_after_minutes: rule.escalate_after_minutes,
    expire_after_minutes: rule.expire_after_minutes,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}

export const listApprovalsQuerySchema = z.extend(paginationQuerySchema, {
  state: z.optional(z.enum(APPROVAL_STATES)).check(z.describe('Default pending')),
});

export const decisionBodySchema = z
  .strictObject({ comment: z.optional(z.string().check(z.maxLength(2000))) })
  .register(z.globalRegistry, { id: 'ApprovalDecisionInput' });

export const approvalViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      state: z.enum(APPROVAL_STATES),
      jobId: z.string(),
      jobName: z.string(),
      requesterId: z.string(),
      teamId: z.optional(z.string()),
      costUsd: z.number(),
      hardwareType: z.string(),
      ruleId: z.string(),
      ruleName: z.string(),
      reason: z.string(),
      requiredLevel: z.string(),
      escalationLevel: z.string(),
      createdAt: z.string(),
      ageSeconds: z.number().check(z.describe('Seconds since the request was made')),
      escalateAt: z.string(),
      escalatedAt: z.optional(z.string()),
      expireAt: z.string(),
      closedAt: z.optional(z.string()),
      decision: z.optional(
        z.object({
          outcome: z.enum(['approved', 'rejected']),
          by: z.string(),
          at: z.string(),
          comment: z.string(),
          via: z.enum(['api', 'email']),
        }),
      ),
    })
    .register(z.globalRegistry, { id: 'ApprovalRequest' }),
);
export type ApprovalView = z.infer<ReturnType<typeof approvalViewSchema>>;

export const approvalListSchema = lazySchema(() =>
  z
    .object({ items: z.array(approvalViewSchema()), nextCursor: z.optional(z.string()) })
    .register(z.globalRegistry, { id: 'ApprovalRequestList' }),
);

/** Response mapper: every field listed; the task token is never among them. */
export function toApprovalView(request: ApprovalRequest, now: Date): ApprovalView {
  return {
    id: request.id,
    state: request.state,
    jobId: request.jobId,
    jobName: request.jobName,
    requesterId: request.requesterId,
    ...(request.teamId ? { teamId: request.teamId } : {}),
    costUsd: request.costUsd,
    hardwareType: request.hardwareType,
    ruleId: request.ruleId,
    ruleName: request.ruleName,
    reason: request.reason,
    requiredLevel: request.requiredLevel,
    escalationLevel: request.escalationLevel,
    createdAt: request.createdAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(request.createdAt)) / 1000)),
    escalateAt: request.escalateAt,
    ...(request.escalatedAt ? { escalatedAt: request.escalatedAt } : {}),
    expireAt: request.expireAt,
    ...(request.closedAt ? { closedAt: request.closedAt } : {}),
    ...(request.decision ? { decision: { ...request.decision } } : {}),
  };
}
