import * as z from 'zod/mini';
import { permissionOverrideSchema } from '#domain/authz/overrides';
import { levelNameSchema } from '#domain/authz/permissions';
import { resourceGrantSchema } from '#domain/authz/resource-grant';

/** A Quartermaster user (docs/architecture.md#identity). External identities and overrides arrive with the identity issue. */
export const userSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string().check(z.minLength(1)),
  email: z.string().check(z.email()),
  displayName: z.string().check(z.minLength(1)),
  orgId: z.string().check(z.minLength(1)),
  /** A built-in level or one of the org's custom levels. */
  level: levelNameSchema,
  platformAdmin: z._default(z.boolean(), false),
  teamIds: z._default(z.array(z.string()), []),
  status: z._default(z.enum(['active', 'disabled']), 'active'),
  createdAt: z.string(),
  // Optional (absent = empty / 0) so records written before the authorization work stay valid as they are.
  /** Role in each of `teamIds` (absent = member). */
  teamRoles: z.optional(z.record(z.string(), z.enum(['member', 'lead']))),
  /** Clusters and namespaces granted by the user's identity-provider groups, re-synced at every sign-in. */
  resourceGrants: z.optional(z.array(resourceGrantSchema)),
  /** Per-user grants and denies on top of the level (deny wins); see `authz/overrides.ts`. */
  overrides: z.optional(z.array(permissionOverrideSchema)),
  /** Bumped by every administrative change (level, overrides, status, teams); those writes are conditional on it. */
  authzVersion: z.optional(z.number().check(z.int(), z.gte(0))),
  updatedAt: z.optional(z.string()),
});
export type User = z.infer<typeof userSchema>;
