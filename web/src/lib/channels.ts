const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0)
    : [];

/** The add-channel form's flat values → the API's body for that kind (recipients for email, a URL otherwise). */
export function channelBody(values: Record<string, unknown>): Record<string, unknown> {
  const kind = String(values.kind ?? 'email');
  const teamIds = list(values.teams);
  const subscription = { events: list(values.events), ...(teamIds.length > 0 ? { teamIds } : {}) };
  const url = String(values.target ?? '').trim();
  const secret = typeof values.secret === 'string' && values.secret.length > 0 ? { secret: values.secret } : {};
  const target = kind === 'email' ? { to: list(values.target) } : kind === 'webhook' ? { url, ...secret } : { url };
  return { kind, name: values.name, ...target, subscriptions: [subscription] };
}
