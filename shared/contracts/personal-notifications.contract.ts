import * as z from 'zod/mini';
import type { MyNotifications } from '#domain/notifications/personal-subscriptions.service';
import { PERSONAL_JOB_EVENT_TYPES } from '#domain/notifications/personal-subscription.schema';
import { lazySchema } from './lazy-schema';

/** My personal email notifications (`/v1/me/notifications`): about me only, to my own address only. */
const jobEvents = z
  .array(z.enum(PERSONAL_JOB_EVENT_TYPES))
  .check(
    z.maxLength(PERSONAL_JOB_EVENT_TYPES.length * 2),
    z.describe('Event types of my own jobs to email me (job.*; approval.granted|rejected|expired of a job I submitted); [] = none'),
  );
const approvals = z
  .boolean()
  .check(
    z.describe(
      'Email me approval requests I may decide (approval.required, and approval.escalated when I am the level asked), with signed approve/reject links',
    ),
  );

/**
 * The whole choice, replaced at once. There is no address field: mail goes to my user record's address (a body
 * naming one, or any other field, is refused with 400 naming it).
 */
export const replaceMyNotificationsBodySchema = z
  .strictObject({ jobEvents, approvals })
  .register(z.globalRegistry, { id: 'ReplaceMyNotifications' });

export const myNotificationsViewSchema = lazySchema(() =>
  z
    .object({
      jobEvents,
      approvals,
      email: z.string().check(z.describe('Where the mail goes: my user record’s address, from my identity provider (not settable here)')),
      deliverable: z.boolean().check(z.describe('False when my identity gave no address that can receive mail: nothing can be sent')),
      canApprove: z
        .boolean()
        .check(z.describe('Whether I hold admin.approve or queue.approve now (each request is checked again when it is sent)')),
      availableJobEvents: z.array(z.enum(PERSONAL_JOB_EVENT_TYPES)),
      updatedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'MyNotifications' }),
);

export function toMyNotificationsView(view: MyNotifications): z.infer<ReturnType<typeof myNotificationsViewSchema>> {
  return {
    jobEvents: [...view.subscription.jobEvents],
    approvals: view.subscription.approvals,
    email: view.email,
    deliverable: view.deliverable,
    canApprove: view.canApprove,
    availableJobEvents: [...PERSONAL_JOB_EVENT_TYPES],
    ...(view.subscription.updatedAt ? { updatedAt: view.subscription.updatedAt } : {}),
  };
}
