import * as z from 'zod/mini';
import { GLOB_PATTERN } from './glob';
import { levelNameSchema } from './permissions';

/**
 * Resource rules (docs/permissions.md): which job templates (`config`), hardware types (`hardware`), backends
 * (`provider`), Kubernetes clusters (`cluster`, matching the cluster id) and namespaces (`namespace`,
 * matching `<cluster>/<namespace>`, e.g. `gpu-east/team-x-*`) a level or a team may use, as glob patterns
 * with `allow` or `deny`. Cluster and namespace rules are applied when a job is placed on a cluster
 * (`shared/domain/clusters/placement.service.ts`).
 */
export const RESOURCE_TYPES = ['config', 'hardware', 'provider', 'cluster', 'namespace'] as const;
export const resourceTypeSchema = z.enum(RESOURCE_TYPES);
export type ResourceType = z.infer<typeof resourceTypeSchema>;
export const resourceRuleSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string().check(z.minLength(1)),
  orgId: z.string().check(z.minLength(1)),
  type: resourceTypeSchema,
  pattern: z.string().check(z.regex(GLOB_PATTERN, 'a glob of 1-128 printable characters without spaces')),
  action: z.enum(['allow', 'deny']),
  /** Who the rule is for: users of this level and/or members of this team; neither = everyone in the org. */
  level: z.optional(levelNameSchema),
  teamId: z.optional(z.string().check(z.minLength(1))),
  description: z._default(z.string().check(z.maxLength(500)), ''),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type ResourceRule = z.infer<typeof resourceRuleSchema>;
