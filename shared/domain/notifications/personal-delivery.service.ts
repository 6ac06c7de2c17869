import { eligibility, priorityOfLevel } from '#domain/approvals/approval-eligibility';
import type { ApprovalLinkTarget } from '#domain/approvals/approval-links';
import type { ApprovalRepository } from '#domain/approvals/approvals.port';
import { createAccessGate } from '#domain/identity/access-gate';
import type { LevelCatalog } from '#domain/authz/authz.port';
import type { CurrentUserSource } from '#domain/users/users.port';
import { levelPriority } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import type { DomainEvent } from '#domain/events/event-envelope';
import type { User } from '#domain/users/user.schema';
import type { Clock } from '#domain/runtime/runtime.port';
import { renderEventEmail, type ApprovalActionLinks } from './notification-email';
import type { DeliveryAttempt, DeliveryLog, EmailTransport, PersonalSubscriptionRepository } from './notifications.port';
import { isDeliverableAddress, PERSONAL_JOB_EVENT_TYPES, WAITING_APPROVAL_EVENT_TYPES } from './personal-subscription.schema';

/**
 * Personal email (docs/events.md, "Personal notifications"): an event of my job goes to me when I asked for
 * its type; an approval request that waits goes to each approver who asked for them and may decide it, with
 * their own signed approve/reject links. Every recipient is read again at send time: an active user of the
 * event's org, at their record's address; an approver is judged by the approvals domain's own rules
 * (`eligibility`) on the request as stored now, so a demotion, a team change or a decision in between is seen.
 */
export interface PersonalDeliveryDeps {
  subscriptions: Pick<PersonalSubscriptionRepository, 'get' | 'approvalSubscribers'>;
  users: CurrentUserSource;
  levels: LevelCatalog;
  approvals: Pick<ApprovalRepository, 'get'>;
  deliveries: Pick<DeliveryLog, 'claim' | 'record'>;
  email: EmailTransport;
  /** The approver's approve and reject links (`mintApprovalLinks` with the deployment's link key). */
  approvalLinks: (target: ApprovalLinkTarget) => Promise<ApprovalActionLinks>;
  consoleUrl: string;
  clock: Clock;
}

/** What personal delivery of one event came to, per recipient (by their delivery-log channel id). */
export interface PersonalOutcome {
  delivered: string[];
  skipped: string[];
  failed: { channelId: string; error: string }[];
}

/**
 * A user's personal email in the delivery log: the idempotency key per (event, recipient), beside the
 * channels' (channel ids are ULIDs, which never hold a colon).
 */
export const personalChannelId = (userId: string): string => `user:${userId}`;

/** Sends at most this many emails at once (bounded by the transport's own timeout each). */
const PARALLEL_SENDS = 8;

interface Recipient {
  user: User;
  /** Approvers only: the request their links decide. */
  approvalId?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** Whose job an event is about: the owner of a job event, the requester of an approval's outcome. */
function ownerOf(event: DomainEvent): string | undefined {
  if (!(PERSONAL_JOB_EVENT_TYPES as readonly string[]).includes(event.type)) return undefined;
  return event.type.startsWith('job.') ? text(event.data.ownerId) : text(event.data.requesterId);
}

/** A user mail may go to now: exists, active, in the event's org, with a deliverable address. */
function reachable(user: User | undefined, orgId: string): user is User {
  return user !== undefined && user.orgId === orgId && user.status === 'active' && isDeliverableAddress(user.email);
}

async function ownerRecipients(event: DomainEvent, deps: PersonalDeliveryDeps): Promise<Recipient[]> {
  const ownerId = ownerOf(event);
  if (!ownerId) return [];
  const subscription = await deps.subscriptions.get(event.orgId, ownerId);
  if (!subscription?.jobEvents.includes(event.type as (typeof PERSONAL_JOB_EVENT_TYPES)[number])) return [];
  const user = await deps.users.currentUser(ownerId);
  return reachable(user, event.orgId) ? [{ user }] : [];
}

/**
 * The approvers of a waiting request who asked for them: each one's principal rebuilt from their record now
 * (the access gate), then the approvals domain's decision rules, and at or above the level this event asks
 * (the escalation level for `approval.escalated`). A request no longer pending asks nobody.
 */
async function approverRecipients(event: DomainEvent, deps: PersonalDeliveryDeps): Promise<Recipient[]> {
  const approvalId = text(event.data.approvalId);
  if (!approvalId) return [];
  const subscribers = await deps.subscriptions.approvalSubscribers(event.orgId);
  if (subscribers.length === 0) return [];
  const request = await deps.approvals.get(event.orgId, approvalId);
  if (!request || request.state !== 'pending') return [];
  const asked = await priorityOfLevel(event.orgId, text(event.data.approverLevel) ?? request.requiredLevel, deps.levels);
  // The gate reads each user once; the record it read is the one the mail goes to.
  const read = new Map<string, User | undefined>();
  const users: CurrentUserSource = {
    currentUser: async (id) => {
      if (!read.has(id)) read.set(id, await deps.users.currentUser(id));
      return read.get(id);
    },
  };
  const gate = createAccessGate({ users, levels: deps.levels });
  const judged = await Promise.all(
    subscribers.map(async ({ userId }): Promise<Recipient | undefined> => {
      const outcome = await gate({
        userId,
        orgId: event.orgId,
        level: 'viewer',
        platformAdmin: false,
        teamIds: [],
        // The principal the approver's link will act as (approval-link.service.ts builds it the same way).
        authMethod: 'approval_link',
      });
      if (!outcome.ok) return undefined;
      const approver: Principal = outcome.principal;
      if (!(await eligibility(approver, request, deps.levels)).eligible) return undefined;
      if (!approver.platformAdmin && levelPriority(approver) < asked) return undefined;
      const user = read.get(userId);
      return reachable(user, event.orgId) ? { user, approvalId } : undefined;
    }),
  );
  return judged.filter((recipient): recipient is Recipient => recipient !== undefined);
}

async function send(event: DomainEvent, recipient: Recipient, deps: PersonalDeliveryDeps): Promise<DeliveryAttempt> {
  const started = deps.clock.now().getTime();
  const to = recipient.user.email;
  try {
    // Minted per approver at send time and put in the message alone: never logged, recorded or stored.
    const links = recipient.approvalId
      ? await deps.approvalLinks({ orgId: event.orgId, approvalId: recipient.approvalId, approverUserId: recipient.user.id })
      : undefined;
    await deps.email.send({ to, ...renderEventEmail(event, deps.consoleUrl, links) });
    return { ok: true, latencyMs: deps.clock.now().getTime() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message.replaceAll(to, '<recipient>') : 'not accepted';
    return { ok: false, error: message.slice(0, 500), latencyMs: deps.clock.now().getTime() - started };
  }
}

/** One recipient, at most once per event: the delivery record is claimed first, as a channel's is. */
async function deliver(event: DomainEvent, recipient: Recipient, attempt: number, deps: PersonalDeliveryDeps) {
  const channelId = personalChannelId(recipient.user.id);
  const at = deps.clock.now().toISOString();
  if (!(await deps.deliveries.claim(event.orgId, event.id, channelId, at))) return { channelId, skipped: true as const };
  const result = await send(event, recipient, deps);
  const record = await deps.deliveries.record(event.orgId, event.id, channelId, { ...result, attempt, eventType: event.type, at });
  return { channelId, skipped: false as const, record };
}

/**
 * Delivers `event` to the people who asked for it. `attempt` is the queue's receive count; the caller retries
 * the message while `failed` is not empty, and recipients already mailed are skipped by their delivery record.
 */
export async function notifyPeople(event: DomainEvent, attempt: number, deps: PersonalDeliveryDeps): Promise<PersonalOutcome> {
  const outcome: PersonalOutcome = { delivered: [], skipped: [], failed: [] };
  const recipients = (WAITING_APPROVAL_EVENT_TYPES as readonly string[]).includes(event.type)
    ? await approverRecipients(event, deps)
    : await ownerRecipients(event, deps);
  for (let i = 0; i < recipients.length; i += PARALLEL_SENDS) {
    const results = await Promise.all(recipients.slice(i, i + PARALLEL_SENDS).map((recipient) => deliver(event, recipient, attempt, deps)));
    for (const result of results) {
      if (result.skipped) outcome.skipped.push(result.channelId);
      else if (result.record.status === 'delivered') outcome.delivered.push(result.channelId);
      else outcome.failed.push({ channelId: result.channelId, error: result.record.lastError ?? 'delivery failed' });
    }
  }
  return outcome;
}
