import { unknownInOrg } from '#domain/tenancy/org-references';
import type { User } from './user.schema';
import type { CurrentUserSource } from './users.port';

/**
 * User `userId`, who must belong to `orgId` (user ids are unique in the deployment, so the org is checked). One of
 * the org references of `tenancy/org-references.ts`, kept with the user record it reads: another org's user and
 * a missing one get the same 404 naming `field`.
 */
export async function userOfOrg(users: CurrentUserSource, orgId: string, userId: string, field: string): Promise<User> {
  const user = await users.currentUser(userId);
  if (!user || user.orgId !== orgId) throw unknownInOrg('user', userId, field);
  return user;
}
