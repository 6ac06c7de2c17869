import * as z from 'zod/mini';
import { JOB_EVENT_TYPES } from '#domain/jobs/job.events';

/**
 * What a user may have mailed to themselves (docs/events.md, "Personal notifications"): events of their own
 * jobs, by type, and approval requests that wait for them. Delivered only to the address of their own user
 * record (from their identity), never to one they type.
 */

/** Events about one of my jobs: its life, and the outcome of the approval it waited for (`requesterId` = me). */
export const PERSONAL_JOB_EVENT_TYPES = [...JOB_EVENT_TYPES, 'approval.granted', 'approval.rejected', 'approval.expired'] as const;
export type PersonalJobEventType = (typeof PERSONAL_JOB_EVENT_TYPES)[number];

/** Approval requests that ask me to decide; their emails carry my signed approve and reject links. */
export const WAITING_APPROVAL_EVENT_TYPES = ['approval.required', 'approval.escalated'] as const;

/** The job events a user gets when they first opt in from the console: the ones that need them. */
export const DEFAULT_PERSONAL_JOB_EVENTS: readonly PersonalJobEventType[] = ['job.failed', 'approval.rejected', 'approval.expired'];

export const personalSubscriptionSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  orgId: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
  /** Types of my jobs' events I want by email (empty: none). */
  jobEvents: z._default(z.array(z.enum(PERSONAL_JOB_EVENT_TYPES)), []),
  /** Approval requests that wait for me (`approval.required`, `approval.escalated` when I am asked). */
  approvals: z._default(z.boolean(), false),
  updatedAt: z.string(),
});
export type PersonalSubscription = z.infer<typeof personalSubscriptionSchema>;

/** A user without a stored choice gets nothing: personal email is opt-in. */
export const noPersonalSubscription = (orgId: string, userId: string): Omit<PersonalSubscription, 'updatedAt'> => ({
  schemaVersion: 1,
  orgId,
  userId,
  jobEvents: [],
  approvals: false,
});

/**
 * Addresses that cannot receive mail: the placeholder a sign-in gives a user whose identity named no email
 * (`<id>@users.invalid`), and the break-glass account's. RFC 2606 reserves `.invalid`.
 */
export const isDeliverableAddress = (email: string): boolean => !/\.invalid$/i.test(email.trim());
