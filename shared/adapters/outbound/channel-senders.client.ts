import type { DomainEvent } from '#domain/events/event-envelope';
import { channelSecretSchema, type NotificationChannel } from '#domain/notifications/notification-channel.schema';
import type { ChannelSender, DeliveryAttempt, EmailTransport } from '#domain/notifications/notifications.port';
import {
  APPROVAL_ACTION_EVENT_TYPES,
  consoleLink,
  renderEventEmail,
  type ApprovalActionLinks,
} from '#domain/notifications/notification-email';
import { type OutboundPolicy, SLACK_WEBHOOK_HOSTS } from '#domain/notifications/outbound-url';
import { signWebhook } from '#domain/notifications/standard-webhook-signature';
import type { Clock } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { ForbiddenTargetError, guardedPost, type PostOutcome } from './guarded-post';

export interface SenderOptions {
  secrets: SecretStore;
  policy: Pick<OutboundPolicy, 'allowLoopback'>;
  clock: Clock;
  /** Per attempt. */
  timeoutMs: number;
  /** Base URL of the web console, for links in Slack messages. */
  consoleUrl: string;
}

const attemptOf = (outcome: PostOutcome): DeliveryAttempt => ({
  ok: outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300,
  status: outcome.status,
  error: outcome.error,
  retryAfterSeconds: outcome.retryAfterSeconds,
  latencyMs: outcome.latencyMs,
});

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundPolicy,
  timeoutMs: number,
): Promise<DeliveryAttempt> {
  try {
    return attemptOf(await guardedPost(url, body, headers, { policy, timeoutMs }));
  } catch (error) {
    if (error instanceof ForbiddenTargetError) return { ok: false, error: error.message, latencyMs: 0 };
    throw error;
  }
}

async function secretOf(channel: NotificationChannel, secrets: SecretStore) {
  if (!channel.secretRef) throw new Error('channel has no stored secret');
  return channelSecretSchema.parse(JSON.parse(await secrets.get(channel.secretRef)));
}

/** Generic webhook: the envelope as the body, signed per Standard Webhooks (both secrets during a rotation). */
export function webhookSender(options: SenderOptions): ChannelSender {
  return async (channel, event) => {
    const secret = await secretOf(channel, options.secrets);
    if (!secret.current || !channel.webhookUrl) return { ok: false, error: 'channel has no URL or signing secret', latencyMs: 0 };
    const now = options.clock.now();
    const overlap = secret.previous && channel.rotationEndsAt && Date.parse(channel.rotationEndsAt) > now.getTime();
    const body = JSON.stringify(event);
    const headers = signWebhook(
      `msg_${event.id}`,
      now,
      body,
      overlap && secret.previous ? [secret.current, secret.previous] : [secret.current],
    );
    return post(channel.webhookUrl, body, { ...headers }, options.policy, options.timeoutMs);
  };
}

/** A Block Kit message: what happened, the facts of `data` that name things, and a button into the console. */
export function slackMessage(event: DomainEvent, consoleUrl: string): Record<string, unknown> {
  const facts = Object.entries(event.data)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .slice(0, 10)
    .map(([key, value]) => ({ type: 'mrkdwn', text: `*${key}*\n${String(value).slice(0, 200)}` }));
  return {
    text: `${event.type}: ${event.subject}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: event.type } },
      { type: 'section', text: { type: 'mrkdwn', text: `\`${event.subject}\` in org *${event.orgId}* at ${event.time}` } },
      ...(facts.length > 0 ? [{ type: 'section', fields: facts }] : []),
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Quartermaster' }, url: consoleLink(consoleUrl, event) }],
      },
    ],
  };
}

/** Slack incoming webhook: the URL is the secret, kept in the secret store; only Slack's host is admitted. */
export function slackSender(options: SenderOptions): ChannelSender {
  return async (channel, event) => {
    const secret = await secretOf(channel, options.secrets);
    if (!secret.slackUrl) return { ok: false, error: 'channel has no Slack URL', latencyMs: 0 };
    const policy = { ...options.policy, hosts: SLACK_WEBHOOK_HOSTS };
    return post(secret.slackUrl, JSON.stringify(slackMessage(event, options.consoleUrl)), {}, policy, options.timeoutMs);
  };
}

export interface EmailSenderOptions {
  transport: EmailTransport;
  /** Base URL of the web console, for the link in every email. */
  consoleUrl: string;
  /**
   * Signed approve/reject links for an approval request that waits for `recipient` (approvals domain), or
   * undefined when the recipient is not an approver of it. Called only for `approval.required|escalated`.
   */
  approvalLinks?: (event: DomainEvent, recipient: string) => Promise<ApprovalActionLinks | undefined>;
  clock: Clock;
}

/**
 * Email: one message per recipient (recipients do not see each other, and approval links are per approver).
 * The attempt succeeds when every recipient's message was accepted; errors name no address.
 */
export function emailSender(options: EmailSenderOptions): ChannelSender {
  return async (channel, event) => {
    const recipients = channel.emailTo ?? [];
    if (recipients.length === 0) return { ok: false, error: 'channel has no recipients', latencyMs: 0 };
    const started = options.clock.now().getTime();
    const failures: string[] = [];
    for (const to of recipients) {
      const links =
        options.approvalLinks && APPROVAL_ACTION_EVENT_TYPES.includes(event.type) ? await options.approvalLinks(event, to) : undefined;
      try {
        await options.transport.send({ to, ...renderEventEmail(event, options.consoleUrl, links) });
      } catch (error) {
        failures.push(error instanceof Error ? error.message.replaceAll(to, '<recipient>') : 'not accepted');
      }
    }
    const latencyMs = options.clock.now().getTime() - started;
    if (failures.length === 0) return { ok: true, latencyMs };
    return { ok: false, error: `${failures.length} of ${recipients.length} recipients failed: ${failures[0]}`.slice(0, 500), latencyMs };
  };
}

/** The three senders, built one way for every function that delivers (the notifier and the test route). */
export function channelSenders(
  options: SenderOptions & Pick<EmailSenderOptions, 'transport' | 'approvalLinks'>,
): Record<NotificationChannel['kind'], ChannelSender> {
  return { webhook: webhookSender(options), slack: slackSender(options), email: emailSender(options) };
}
