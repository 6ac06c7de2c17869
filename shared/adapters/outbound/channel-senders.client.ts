import type { DomainEvent } from '#domain/events/event-envelope';
import { channelSecretSchema, type NotificationChannel } from '#domain/notifications/notification-channel.schema';
import type { ChannelSender, DeliveryAttempt } from '#domain/notifications/notifications.port';
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

/** Where in the console an event's subject is shown. */
export function consoleLink(consoleUrl: string, event: DomainEvent): string {
  const [kind, id] = event.subject.split('/');
  const base = consoleUrl.replace(/\/$/, '');
  if (kind === 'job' && id) return `${base}/jobs/${encodeURIComponent(id)}`;
  if (kind === 'approval') return `${base}/approvals`;
  if (kind === 'quota') return `${base}/quotas`;
  return base;
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
