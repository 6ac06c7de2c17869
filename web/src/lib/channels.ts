const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0)
    : [];

/**
 * The channel form's flat values → the API's body for that kind (recipients for email, a URL otherwise).
 * Editing, an empty URL or secret is left out: the API keeps the stored one (both are write-only).
 */
export function channelBody(values: Record<string, unknown>): Record<string, unknown> {
  const kind = String(values.kind ?? 'email');
  const teamIds = list(values.teams);
  const subscription = { events: list(values.events), ...(teamIds.length > 0 ? { teamIds } : {}) };
  const url = String(values.target ?? '').trim();
  const secret = typeof values.secret === 'string' && values.secret.length > 0 ? { secret: values.secret } : {};
  const target = kind === 'email' ? { to: list(values.target) } : { ...(url ? { url } : {}), ...(kind === 'webhook' ? secret : {}) };
  const enabled = typeof values.enabled === 'boolean' ? { enabled: values.enabled } : {};
  return { kind, name: values.name, ...enabled, ...target, subscriptions: [subscription] };
}

/** A channel as the form's flat values (its first subscription; the form edits one). */
export function channelValues(channel: { kind: string; name: string; enabled: boolean; to?: string[]; url?: string; subscriptions: ReadonlyArray<{ events: string[]; teamIds?: string[] }> }): Record<string, string | boolean> {
  const [first] = channel.subscriptions;
  return {
    kind: channel.kind,
    name: channel.name,
    enabled: channel.enabled,
    target: channel.to?.join(', ') ?? channel.url ?? '',
    events: first?.events.join(', ') ?? '',
    teams: first?.teamIds?.join(', ') ?? '',
  };
}

/** One delivery (a test or an event) in words: the outcome, the target's HTTP status, how long it took, why it failed. */
export function deliveryText(delivery: { status: string; responseCode?: number; latencyMs?: number; lastError?: string; attempt?: number }): string {
  return [
    delivery.status,
    delivery.responseCode !== undefined ? `HTTP ${delivery.responseCode}` : undefined,
    delivery.latencyMs !== undefined ? `${Math.round(delivery.latencyMs)} ms` : undefined,
    delivery.attempt !== undefined && delivery.attempt > 1 ? `attempt ${delivery.attempt}` : undefined,
    delivery.status === 'failed' ? delivery.lastError : undefined,
  ]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' · ');
}

/** What a channel test shows while it waits: queued until the notifier's record of it has an outcome. */
export interface TestOutcome<D> {
  /** The record (delivered or failed), or undefined when none came in time. */
  delivery?: D;
}

/**
 * A channel test is asynchronous (`POST …/{id}/test` answers 202 with the event id; the notifier delivers it):
 * reads the delivery log's first page every `intervalMs` until the record of `eventId` has an outcome
 * (`delivered` or `failed`, not `sending`), for at most `timeoutMs`. `sleep` is injectable for tests.
 */
export async function waitForTestDelivery<D extends { eventId: string; status: string }>(
  readLog: () => Promise<{ items: D[] }>,
  eventId: string,
  options: { intervalMs?: number; timeoutMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
): Promise<TestOutcome<D>> {
  const intervalMs = options.intervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const record = (await readLog()).items.find((item) => item.eventId === eventId);
    if (record && record.status !== 'sending') return { delivery: record };
    if (now() >= deadline) return {};
    await sleep(intervalMs);
  }
}
