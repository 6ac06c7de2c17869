/**
 * Runtime settings, read from `/config.json` beside the static files (the web stack writes it at deploy time;
 * the local stack serves it), so one build serves every stage.
 */
export interface OidcProviderConfig {
  type: 'oidc';
  /** Quartermaster's id of the provider (shown in audit entries and the sign-in page). */
  id: string;
  label: string;
  /** Issuer URL: discovery is read from `<authority>/.well-known/openid-configuration`. */
  authority: string;
  /** The console's public client id at that provider (no secret: code + PKCE). */
  clientId: string;
  scope?: string;
  /** RFC 8707 resource indicator, for providers that issue JWT access tokens per resource. */
  resource?: string;
}

export interface PasswordProviderConfig {
  type: 'ldap';
  id: string;
  label: string;
}

export type ProviderConfig = OidcProviderConfig | PasswordProviderConfig;

export interface ConsoleConfig {
  /** Base URL of the Quartermaster API, without a trailing slash. */
  apiUrl: string;
  stage?: string;
  providers: ProviderConfig[];
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<ConsoleConfig> {
  const response = await fetchImpl('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json could not be read (HTTP ${response.status})`);
  return parseConfig(await response.json());
}

/** Validates the shape by hand: the console must not carry a schema library for one small file. */
export function parseConfig(raw: unknown): ConsoleConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('config.json: expected an object');
  const value = raw as Record<string, unknown>;
  if (typeof value.apiUrl !== 'string' || !/^https?:\/\//.test(value.apiUrl)) throw new Error('config.json: apiUrl must be an http(s) URL');
  if (!Array.isArray(value.providers)) throw new Error('config.json: providers must be a list');
  const providers = value.providers.map((entry, index): ProviderConfig => {
    const provider = entry as Record<string, unknown>;
    const where = `config.json: providers[${index}]`;
    if (typeof provider.id !== 'string' || typeof provider.label !== 'string') throw new Error(`${where}: id and label are required`);
    if (provider.type === 'ldap') return { type: 'ldap', id: provider.id, label: provider.label };
    if (provider.type !== 'oidc') throw new Error(`${where}: type must be oidc or ldap`);
    if (typeof provider.authority !== 'string' || typeof provider.clientId !== 'string') throw new Error(`${where}: authority and clientId are required`);
    return {
      type: 'oidc',
      id: provider.id,
      label: provider.label,
      authority: provider.authority,
      clientId: provider.clientId,
      ...(typeof provider.scope === 'string' ? { scope: provider.scope } : {}),
      ...(typeof provider.resource === 'string' ? { resource: provider.resource } : {}),
    };
  });
  return { apiUrl: value.apiUrl.replace(/\/+$/, ''), ...(typeof value.stage === 'string' ? { stage: value.stage } : {}), providers };
}
