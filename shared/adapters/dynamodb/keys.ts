import * as keys from './table-keys';

/*
 * Index attributes and key stripping; the key builders themselves are in table-keys.ts. Nothing here may
 * import a domain schema module: every adapter imports this file, and a schema module builds its zod
 * schemas at import (a job schema import once added 120 schemas to every function's cold start).
 */

/** gsi1 attributes of an org item: every org is listed under one partition. */
export const orgIndexAttributes = (orgId: string): Record<string, string> => ({ gsi1pk: keys.orgsIndexPartition(), gsi1sk: orgId });

/**
 * gsi1 attributes of a user item (listing by org) and the lower-cased text `GET /v1/orgs/{id}/users?q=`
 * searches; every writer of user items adds them.
 */
export const userIndexAttributes = (user: { id: string; orgId: string; email: string; displayName: string }): Record<string, string> => ({
  gsi1pk: keys.orgUsersPartition(user.orgId),
  gsi1sk: user.id,
  searchText: `${user.id} ${user.email} ${user.displayName}`.toLowerCase(),
});

/** Attributes that belong to the table, not to the entity: stripped before validating what we read. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'searchText'] as const;

export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete rest[attribute];
  return rest;
}
