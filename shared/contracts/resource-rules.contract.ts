import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { GLOB_PATTERN } from '#domain/authz/glob';
import { levelNameSchema } from '#domain/authz/permissions';
import { resourceTypeSchema, type ResourceRule } from '#domain/authz/resource-rule.schema';
import { slugSchema } from '#domain/tenancy/slug';

export const ruleIdParamsSchema = z.object({ ruleId: z.string().check(z.regex(/^[a-z0-9]{1,64}$/, 'a rule id')) });

export const resourceRuleBodySchema = z
  .strictObject({
    type: resourceTypeSchema.check(
      z.describe(
        'config = job template name, hardware = hardware type, provider = backend, cluster = cluster id, namespace = <cluster>/<namespace>',
      ),
    ),
    pattern: z
      .string()
      .check(z.regex(GLOB_PATTERN, 'a glob of 1-128 printable characters without spaces'), z.describe('`*` any run, `?` one character')),
    action: z.enum(['allow', 'deny']),
    level: z.optional(levelNameSchema).check(z.describe('Applies to users of this level (omit: any level)')),
    teamId: z.optional(slugSchema).check(z.describe('Applies to members of this team (omit: any team)')),
    description: z.optional(z.string().check(z.maxLength(500))),
  })
  .register(z.globalRegistry, { id: 'ResourceRuleInput' });

export const resourceRuleViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      type: resourceTypeSchema,
      pattern: z.string(),
      action: z.enum(['allow', 'deny']),
      level: z.optional(z.string()),
      teamId: z.optional(z.string()),
      description: z.string(),
      createdBy: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .register(z.globalRegistry, { id: 'ResourceRule' }),
);
export type ResourceRuleView = z.infer<ReturnType<typeof resourceRuleViewSchema>>;

export const resourceRuleListSchema = lazySchema(() =>
  z.object({ items: z.array(resourceRuleViewSchema()) }).register(z.globalRegistry, { id: 'ResourceRuleList' }),
);

export function toResourceRuleView(rule: ResourceRule): ResourceRuleView {
  return {
    id: rule.id,
    type: rule.type,
    pattern: rule.pattern,
    action: rule.action,
    ...(rule.level ? { level: rule.level } : {}),
    ...(rule.teamId ? { teamId: rule.teamId } : {}),
    description: rule.description,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}
