import type { User } from './user.schema';
import type { ListOptions, Page } from '#domain/page';

/** The user record as stored now: what the access gate and the org-reference checks read. */
export interface CurrentUserSource {
  /** The user record as stored now. */
  currentUser(id: string): Promise<User | undefined>;
}

/** Filters of the user listing; `q` matches id, email or display name, case-insensitively. */
export interface UserFilters {
  q?: string | undefined;
  level?: string | undefined;
  status?: User['status'] | undefined;
  teamId?: string | undefined;
}

/** The administrative view of users: listing by org, creating, and versioned replacement. */
export interface UserDirectory extends CurrentUserSource {
  list(orgId: string, filters: UserFilters, options: ListOptions): Promise<Page<User>>;
  /** Creates the user unless the id is taken; false when it was. */
  create(user: User): Promise<boolean>;
  /**
   * Replaces the record if it is still at `expectedVersion` (its `authzVersion`); false when someone changed
   * it meanwhile. `next` carries the bumped version.
   */
  save(next: User, expectedVersion: number): Promise<boolean>;
  /** Whether any user of the org has this level (a custom level in use cannot be deleted). */
  anyWithLevel(orgId: string, level: string): Promise<boolean>;
}
