import type { Job } from '../../domain/jobs/job.schema';
import { isTerminal } from '../../domain/jobs/job.schema';
import * as keys from './table-keys';

/* Index attributes and key stripping; the key builders themselves are in table-keys.ts. */

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

/** Higher priority class sorts first: store the complement, zero-padded, so string order is numeric order. */
const schedulingKey = (job: Job): string =>
  `${String(9999 - Math.min(job.priorityClass, 9999)).padStart(4, '0')}#${job.createdAt}#${job.id}`;

/** The index attributes a job item carries; terminal jobs leave the sparse state index. */
export function jobIndexAttributes(job: Job): Record<string, string> {
  const attributes: Record<string, string> = {
    gsi1pk: keys.ownerJobsPartition(job.ownerId),
    gsi1sk: `${job.createdAt}#${job.id}`,
  };
  if (!isTerminal(job.state)) {
    attributes.gsi2pk = keys.jobStatePartition(job.state);
    attributes.gsi2sk = schedulingKey(job);
  }
  return attributes;
}

/** Attributes that belong to the table, not to the entity: stripped before validating what we read. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'searchText'] as const;

export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete rest[attribute];
  return rest;
}
