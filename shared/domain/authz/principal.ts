import * as z from 'zod/mini';
import { levelNameSchema, permissionSchema } from './permissions';
import { resourceGrantSchema } from './resource-grant';

/**
 * The verified caller, as the authorizer hands it to every route. The org always comes from here (the
 * verified identity and the database), never from a header or a body field.
 */
export const principalSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  orgId: z.string().check(z.minLength(1)),
  /** A built-in level or the name of a custom level of `orgId`. */
  level: levelNameSchema,
  platformAdmin: z._default(z.boolean(), false),
  teamIds: z._default(z.array(z.string()), []),
  /** Clusters and namespaces the user's identity-provider groups grant (allow rules beside the org's; resolved by the access gate). */
  resourceGrants: z.optional(z.array(resourceGrantSchema)),
  /** How the caller authenticated: `dev` exists only in the local stack; `approval_link` only inside an email link's confirmation (docs/approvals.md). */
  authMethod: z.enum(['dev', 'oidc', 'cognito', 'ldap', 'session', 'api_key', 'approval_link']),
  /** API keys only: the key's scopes; effective permissions are the owner's ∩ these. */
  scopes: z.optional(z.array(permissionSchema)),
  /**
   * API keys only: the SHA-256 of the key, by which the access gate re-reads the key at every request (a
   * revoked or expired key is refused at once, whatever API Gateway cached). It is the key item's primary
   * key and the authorizer's cache key, never enough to authenticate; it is not returned to callers.
   */
  apiKeyHash: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /**
   * Effective permissions (level, custom level and overrides) as resolved from the user record by the access
   * gate of every route function; absent = derive them from a built-in `level` (see `policy.ts`).
   */
  permissions: z.optional(z.array(permissionSchema)),
  /** Priority of `level` (custom levels carry their own); absent = the built-in level's. */
  levelPriority: z.optional(z.number().check(z.int())),
  /** The user record's `authzVersion` the permissions were resolved from. */
  permissionsVersion: z.optional(z.number().check(z.int())),
});
export type Principal = z.infer<typeof principalSchema>;
