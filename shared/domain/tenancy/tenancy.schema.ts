import * as z from 'zod/mini';
import { slugSchema } from './slug';

/**
 * Orgs contain teams; users belong to one org and any number of its teams (docs/permissions.md#tenancy). Ids are the slugs:
 * unique (an org's among orgs, a team's within its org) and immutable; names can change. Deleting is soft
 * (`disabled`): jobs, quotas and audit entries keep referring to the object.
 */
export { slugSchema };

export const tenancyStatusSchema = z.enum(['active', 'disabled']);

export const orgSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: slugSchema,
  slug: slugSchema,
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  status: z._default(tenancyStatusSchema, 'active'),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
});
export type Org = z.infer<typeof orgSchema>;

export const teamSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: slugSchema,
  orgId: z.string().check(z.minLength(1)),
  slug: slugSchema,
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  status: z._default(tenancyStatusSchema, 'active'),
  createdAt: z.string(),
  updatedAt: z.optional(z.string()),
});
export type Team = z.infer<typeof teamSchema>;

export const teamRoleSchema = z.enum(['member', 'lead']);
export type TeamRole = z.infer<typeof teamRoleSchema>;
