import type { Principal } from '#domain/authz/principal';
import { AppError, notFound, validationFailed } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { teamOfOrg } from '#domain/tenancy/org-references';
import type { TenancyRepository } from '#domain/tenancy/tenancy.port';
import type { ListOptions, Page } from '#domain/page';
import {
  channelSecretSchema,
  notificationChannelSchema,
  type ChannelSecret,
  type NotificationChannel,
  type Subscription,
} from './notification-channel.schema';
import type { NotificationChannelRepository } from './notifications.port';
import { checkOutboundUrl, SLACK_WEBHOOK_HOSTS, type OutboundPolicy } from './outbound-url';

/** How long the previous webhook signing secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface ChannelsDeps {
  channels: NotificationChannelRepository;
  teams: Pick<TenancyRepository, 'getTeam'>;
  secrets: SecretStore;
  clock: Clock;
  ids: IdSource;
  /** `allowLoopback` only in the local stack (the dev webhook receiver). */
  outbound: Pick<OutboundPolicy, 'allowLoopback'>;
}

interface Common {
  name: string;
  enabled?: boolean | undefined;
  subscriptions: Subscription[];
}
/** A channel as an admin sends it. `url` (Slack) and `secret` (webhook) are write-only; on replace, omitted = keep. */
export type ChannelInput = Common &
  (
    | { kind: 'email'; to: string[] }
    | { kind: 'slack'; url?: string | undefined }
    | { kind: 'webhook'; url?: string | undefined; secret?: string | undefined }
  );

const secretName = (channel: Pick<NotificationChannel, 'orgId' | 'id'>) => `notifications/${channel.orgId}/${channel.id}`;

function assertUrl(url: string, policy: OutboundPolicy): void {
  const checked = checkOutboundUrl(url, policy);
  if (!checked.ok) throw validationFailed([{ field: 'body.url', message: `the URL ${checked.reason}` }]);
}

async function assertTeams(principal: Principal, subscriptions: Subscription[], deps: ChannelsDeps): Promise<void> {
  for (const [i, subscription] of subscriptions.entries()) {
    for (const [j, teamId] of (subscription.teamIds ?? []).entries()) {
      await teamOfOrg(deps.teams, principal.orgId, teamId, `body.subscriptions.${i}.teamIds.${j}`);
    }
  }
}

export function listChannels(principal: Principal, options: ListOptions, deps: ChannelsDeps): Promise<Page<NotificationChannel>> {
  return deps.channels.list(principal.orgId, options);
}

export async function getChannel(
  principal: Principal,
  id: string,
  deps: { channels: Pick<NotificationChannelRepository, 'get'> },
): Promise<NotificationChannel> {
  const channel = await deps.channels.get(principal.orgId, id);
  if (!channel) throw notFound('Notification channel');
  return channel;
}

/** The secret-store content after this input, or undefined when the input changes no secret. */
async function nextSecret(
  input: ChannelInput,
  existing: NotificationChannel | undefined,
  deps: ChannelsDeps,
): Promise<ChannelSecret | undefined> {
  if (input.kind === 'slack' && input.url !== undefined) return { slackUrl: input.url };
  if (input.kind !== 'webhook' || input.secret === undefined) return undefined;
  if (!existing?.secretRef) return { current: input.secret };
  const stored = channelSecretSchema.parse(JSON.parse(await deps.secrets.get(existing.secretRef)));
  // Rotation: the replaced secret keeps signing beside the new one until the overlap ends.
  return stored.current && stored.current !== input.secret
    ? { current: input.secret, previous: stored.current }
    : { current: input.secret };
}

function validateTarget(input: ChannelInput, existing: NotificationChannel | undefined, deps: ChannelsDeps): void {
  if (input.kind === 'slack') {
    if (input.url === undefined && !existing)
      throw validationFailed([{ field: 'body.url', message: 'a Slack channel needs its incoming-webhook URL' }]);
    if (input.url !== undefined) assertUrl(input.url, { ...deps.outbound, hosts: SLACK_WEBHOOK_HOSTS });
  }
  if (input.kind === 'webhook') {
    if (input.url === undefined && !existing) throw validationFailed([{ field: 'body.url', message: 'a webhook channel needs its URL' }]);
    if (input.secret === undefined && !existing)
      throw validationFailed([{ field: 'body.secret', message: 'a webhook channel needs a signing secret' }]);
    if (input.url !== undefined) assertUrl(input.url, deps.outbound);
  }
}

async function store(
  principal: Principal,
  input: ChannelInput,
  existing: NotificationChannel | undefined,
  deps: ChannelsDeps,
): Promise<NotificationChannel> {
  validateTarget(input, existing, deps);
  await assertTeams(principal, input.subscriptions, deps);
  const now = deps.clock.now();
  const id = existing?.id ?? deps.ids.next();
  const secret = await nextSecret(input, existing, deps);
  const secretRef = secret
    ? await deps.secrets.put(secretName({ orgId: principal.orgId, id }), JSON.stringify(secret))
    : existing?.secretRef;
  const rotationEndsAt = secret?.previous
    ? new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString()
    : secret
      ? undefined
      : existing?.rotationEndsAt;
  const secretUpdatedAt = secret ? now.toISOString() : existing?.secretUpdatedAt;
  const webhookUrl = input.kind === 'webhook' ? (input.url ?? existing?.webhookUrl) : undefined;
  const channel = notificationChannelSchema.parse({
    orgId: principal.orgId,
    id,
    name: input.name,
    kind: input.kind,
    enabled: input.enabled ?? existing?.enabled ?? true,
    ...(input.kind === 'email' ? { emailTo: input.to } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
    ...(secretRef ? { secretRef } : {}),
    ...(secretUpdatedAt ? { secretUpdatedAt } : {}),
    ...(rotationEndsAt ? { rotationEndsAt } : {}),
    subscriptions: input.subscriptions,
    // An admin's edit keeps the notifier's degraded mark: only a delivery (or a test) that succeeds clears it.
    ...(existing?.degradedAt ? { degradedAt: existing.degradedAt, degradedReason: existing.degradedReason } : {}),
    createdBy: existing?.createdBy ?? principal.userId,
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    version: (existing?.version ?? 0) + 1,
  });
  if (!(await deps.channels.save(channel, existing?.version ?? 0))) {
    throw new AppError('conflict', existing ? 'The channel was changed meanwhile' : 'The channel id is taken');
  }
  return channel;
}

export function createChannel(principal: Principal, input: ChannelInput, deps: ChannelsDeps): Promise<NotificationChannel> {
  return store(principal, input, undefined, deps);
}

export async function replaceChannel(
  principal: Principal,
  id: string,
  input: ChannelInput,
  deps: ChannelsDeps,
): Promise<NotificationChannel> {
  const existing = await getChannel(principal, id, deps);
  if (existing.kind !== input.kind) {
    throw validationFailed([{ field: 'body.kind', message: `a channel's kind cannot change (this one is ${existing.kind})` }]);
  }
  return store(principal, input, existing, deps);
}

/** Removes the channel and blanks its secret (the store keeps no live credential of a deleted channel). */
export async function deleteChannel(principal: Principal, id: string, deps: ChannelsDeps): Promise<NotificationChannel> {
  const channel = await getChannel(principal, id, deps);
  if (!(await deps.channels.remove(principal.orgId, id))) throw notFound('Notification channel');
  if (channel.secretRef) await deps.secrets.put(secretName(channel), '{}');
  return channel;
}
