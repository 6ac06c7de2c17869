import * as z from 'zod/mini';
import type { ResourceRule } from './resource-rule.schema';

/**
 * A resource a user was granted through an identity provider's group mapping (docs/permissions.md): a
 * cluster (`<cluster id>`) or namespaces of one (`<cluster id>/<namespace glob>`). Synced onto the user at
 * every sign-in, carried by the principal, and evaluated as allow rules next to the org's resource rules
 * (most permissive wins), so a group can open a cluster to its members the way the seed's hub does.
 */
export const resourceGrantSchema = z.object({
  type: z.enum(['cluster', 'namespace']),
  pattern: z
    .string()
    .check(z.regex(/^[a-z0-9*?][-a-z0-9*?]{0,39}(\/[a-z0-9*?][-a-z0-9*?]{0,62})?$/, 'a cluster id or <cluster>/<namespace glob>')),
});
export type ResourceGrant = z.infer<typeof resourceGrantSchema>;

/** The allow rules a principal's grants amount to (ids say where they come from, for explain and denials). */
export function grantRules(orgId: string, grants: readonly ResourceGrant[] | undefined): ResourceRule[] {
  return (grants ?? []).map((grant) => ({
    schemaVersion: 1,
    id: `group-mapping:${grant.type}:${grant.pattern}`,
    orgId,
    type: grant.type,
    pattern: grant.pattern,
    action: 'allow',
    description: 'granted by an identity-provider group mapping',
    createdBy: 'identity-provider',
    createdAt: '1970-01-01T00:00:00.000Z',
    updatedAt: '1970-01-01T00:00:00.000Z',
    version: 1,
  }));
}
