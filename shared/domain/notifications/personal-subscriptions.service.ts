import { APPROVE_PERMISSIONS } from '#domain/approvals/approval-eligibility';
import { hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, notFound } from '#domain/errors/app-error';
import type { User } from '#domain/users/user.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import type { PersonalSubscriptionRepository } from './notifications.port';
import {
  isDeliverableAddress,
  noPersonalSubscription,
  PERSONAL_JOB_EVENT_TYPES,
  type PersonalJobEventType,
  type PersonalSubscription,
} from './personal-subscription.schema';

export interface PersonalSubscriptionDeps {
  subscriptions: Pick<PersonalSubscriptionRepository, 'get' | 'put'>;
  users: { get(id: string): Promise<User | undefined> };
  clock: Clock;
}

/** What `/v1/me/notifications` shows: my choice, and the address and right it depends on. */
export interface MyNotifications {
  subscription: Omit<PersonalSubscription, 'updatedAt'> & { updatedAt?: string | undefined };
  /** My user record's address (from my identity provider, or set by an admin): the only one mail goes to. */
  email: string;
  deliverable: boolean;
  /** Whether I hold an approval permission today (the notifier checks each request again at send time). */
  canApprove: boolean;
}

async function userOf(principal: Principal, deps: PersonalSubscriptionDeps): Promise<User> {
  const user = await deps.users.get(principal.userId);
  if (!user || user.orgId !== principal.orgId) throw notFound('User');
  return user;
}

const viewOf = (principal: Principal, user: User, subscription: MyNotifications['subscription']): MyNotifications => ({
  subscription,
  email: user.email,
  deliverable: isDeliverableAddress(user.email),
  canApprove: APPROVE_PERMISSIONS.some((permission) => hasPermission(principal, permission)),
});

/** My personal subscription (nothing chosen yet: everything off). */
export async function getMyNotifications(principal: Principal, deps: PersonalSubscriptionDeps): Promise<MyNotifications> {
  const [user, stored] = await Promise.all([userOf(principal, deps), deps.subscriptions.get(principal.orgId, principal.userId)]);
  return viewOf(principal, user, stored ?? noPersonalSubscription(principal.orgId, principal.userId));
}

/**
 * Replaces my choice. It names no address and no other user: mail goes to my own user record's address, so
 * nobody can make Quartermaster mail someone else. Opting in with an address that cannot receive mail (my
 * identity gave none) is refused (422) rather than stored to silently send nothing.
 */
export async function setMyNotifications(
  principal: Principal,
  input: { jobEvents: readonly PersonalJobEventType[]; approvals: boolean },
  deps: PersonalSubscriptionDeps,
): Promise<MyNotifications> {
  const user = await userOf(principal, deps);
  // Catalog order, each type once.
  const jobEvents = PERSONAL_JOB_EVENT_TYPES.filter((type) => input.jobEvents.includes(type));
  if (!isDeliverableAddress(user.email) && (jobEvents.length > 0 || input.approvals)) {
    const field = jobEvents.length > 0 ? 'body.jobEvents' : 'body.approvals';
    throw new AppError('unprocessable', 'Your account has no email address that can receive mail (your identity provider sent none)', {
      fields: [{ field, message: 'your account has no deliverable email address; ask an admin to set one' }],
    });
  }
  const subscription: PersonalSubscription = {
    schemaVersion: 1,
    orgId: principal.orgId,
    userId: principal.userId,
    jobEvents,
    approvals: input.approvals,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.subscriptions.put(subscription);
  return viewOf(principal, user, subscription);
}
