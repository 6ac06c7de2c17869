import * as z from 'zod';
import { GLOB_PATTERN } from '../domain/authz/glob';
import { levelNameSchema } from '../domain/authz/permissions';
import { resourceTypeSchema, type ResourceRule } from '../domain/authz/resource-rules';
import { slugSchema } from '../domain/tenancy/tenancy.schema';

export const ruleIdParamsSchema = z.object({ ruleId: z.string().regex(/^[a-z0-9]{1,64}$/, 'a rule id') });

export const resourceRuleBodySchema = z
  .object({
    type: resourceTypeSchema.describe('config = job template name, hardware = hardware type, provider = backend'),
    pattern: z.string().regex(GLOB_PATTERN, 'a glob of 1-128 printable characters without spaces').describe('`*` any run, `?` one character'),
    action: z.enum(['allow', 'deny']),
    level: levelNameSchema.optional().describe('Applies to users of this level (omit: any level)'),
    teamId: slugSchema.optional().describe('Applies to members of this team (omit: any team)'),
    description: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: 'ResourceRuleInput' });

export const resourceRuleViewSchema = z
  .object({
    id: z.string(),
    type: resourceTypeSchema,
    pattern: z.string(),
    action: z.enum(['allow', 'deny']),
    level: z.string().optional(),
    teamId: z.string().optional(),
    description: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ResourceRule' });
export type ResourceRuleView = z.infer<typeof resourceRuleViewSchema>;

export const resourceRuleListSchema = z.object({ items: z.array(resourceRuleViewSchema) }).meta({ id: 'ResourceRuleList' });

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
