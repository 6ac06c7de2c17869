import * as z from 'zod/mini';
import { NOTIFIABLE_EVENT_TYPES } from '#domain/event-catalog/event-catalog';

export const CHANNEL_KINDS = ['email', 'slack', 'webhook'] as const;
export const channelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof channelKindSchema>;

/** `*`, a family (`job.*`) or one type (`job.failed`); true when `pattern` selects `type`. */
export function patternMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export const eventPatternSchema = z.string().check(
  z.maxLength(64),
  z.regex(/^(\*|[a-z]+\.\*|[a-z]+\.[a-z_]+)$/, 'an event type, a family such as job.*, or *'),
  z.refine((pattern) => NOTIFIABLE_EVENT_TYPES.some((type) => patternMatches(pattern, type)), 'matches no event type (see docs/events.md)'),
);

/** Which events a channel receives: any of `events`, and when `teamIds` is set only events of those teams. */
export const subscriptionSchema = z.strictObject({
  events: z
    .array(eventPatternSchema)
    .check(z.minLength(1), z.maxLength(20), z.describe('Event type patterns: `job.failed`, `approval.*`, `*`')),
  teamIds: z.optional(
    z
      .array(z.string().check(z.minLength(1), z.maxLength(64)))
      .check(z.minLength(1), z.maxLength(20), z.describe("Only events of these teams (an event's `data.teamId`); omitted = the whole org")),
  ),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/**
 * A notification channel of an org (docs/events.md, docs/architecture.md). Secrets (a Slack webhook URL, webhook signing secrets)
 * are never in the item: `secretRef` names the secret-store entry that holds them.
 */
export const notificationChannelSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  orgId: z.string().check(z.minLength(1)),
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  kind: channelKindSchema,
  enabled: z.boolean(),
  /** email: the recipients. */
  emailTo: z.optional(z.array(z.string())),
  /** webhook: the target URL (not a secret: the signing secret is). Slack's URL is a secret and lives in the store. */
  webhookUrl: z.optional(z.string()),
  secretRef: z.optional(z.string()),
  secretUpdatedAt: z.optional(z.string()),
  /** webhook: until when the previous signing secret still signs (rotation overlap). */
  rotationEndsAt: z.optional(z.string()),
  subscriptions: z.array(subscriptionSchema),
  /** Set by the notifier when an event could not be delivered after the last retry; cleared by the next success. */
  degradedAt: z.optional(z.string()),
  /** Why (the last attempt's error: no URL, no secret). */
  degradedReason: z.optional(z.string().check(z.maxLength(500))),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

/** What the secret store holds for a channel (JSON). */
export const channelSecretSchema = z.object({
  /** slack: the incoming-webhook URL. */
  slackUrl: z.optional(z.string()),
  /** webhook: the signing secret, and during a rotation the one it replaced. */
  current: z.optional(z.string()),
  previous: z.optional(z.string()),
});
export type ChannelSecret = z.infer<typeof channelSecretSchema>;

/** True when the channel wants `event` (its type and, with a team filter, its team). */
export function channelWants(channel: NotificationChannel, event: { type: string; data: Record<string, unknown> }): boolean {
  if (!channel.enabled) return false;
  const teamId = typeof event.data['teamId'] === 'string' ? event.data['teamId'] : undefined;
  return channel.subscriptions.some(
    (subscription) =>
      subscription.events.some((pattern) => patternMatches(pattern, event.type)) &&
      (!subscription.teamIds || (teamId !== undefined && subscription.teamIds.includes(teamId))),
  );
}
