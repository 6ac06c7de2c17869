import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, SizeLimitExceededError, type Entry } from 'ldapts';
import type { ExternalProfile } from '#domain/identity/group-mapping';
import type { LdapProvider } from '#domain/identity/identity-provider.schema';
import { isBlankPassword } from '#domain/identity/password-login.service';
import type { LdapDirectory } from '#domain/identity/identity.port';

/** RFC 4515 escaping of an assertion value: `*`, `(`, `)`, `\` and NUL (and any non-ASCII byte) become `\xx`. */
export function escapeFilterValue(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x20 || byte > 0x7e || '*()\\'.includes(char) ? `\\${byte.toString(16).padStart(2, '0')}` : char;
    })
    .join('');
}

const firstText = (value: Entry[string] | undefined): string | undefined => {
  const item = Array.isArray(value) ? value[0] : value;
  return typeof item === 'string' ? item : Buffer.isBuffer(item) ? item.toString('utf8') : undefined;
};
const allText = (value: Entry[string] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) =>
    Buffer.isBuffer(item) ? item.toString('utf8') : String(item),
  );

export interface LdapOptions {
  /** Per-operation and connect timeout (ms). */
  timeoutMs?: number;
  /** Extra TLS options (a private CA for ldaps:// or StartTLS). */
  tlsOptions?: ConnectionOptions;
}

/**
 * LDAP / Active Directory sign-in with ldapts: bind as the service account, search for exactly one entry
 * with the escaped username, check the entry's username attribute equals it exactly, then bind as that
 * entry with the user's password. Blank passwords never reach a bind (an empty simple bind is anonymous).
 */
export class LdaptsDirectory implements LdapDirectory {
  constructor(private readonly options: LdapOptions = {}) {}

  private async connect(provider: LdapProvider): Promise<Client> {
    const timeout = this.options.timeoutMs ?? 5_000;
    const client = new Client({
      url: provider.url,
      timeout,
      connectTimeout: timeout,
      ...(this.options.tlsOptions ? { tlsOptions: this.options.tlsOptions } : {}),
    });
    if (provider.startTls) await client.startTLS(this.options.tlsOptions ?? {});
    return client;
  }

  async authenticate(
    provider: LdapProvider,
    bindPassword: string,
    username: string,
    password: string,
  ): Promise<ExternalProfile | undefined> {
    if (isBlankPassword(password) || isBlankPassword(bindPassword) || username.length === 0 || username.length > 256) return undefined;
    const service = await this.connect(provider);
    let entry: Entry;
    let groups: string[];
    try {
      await service.bind(provider.bindDn, bindPassword);
      const filter = provider.userFilter.replace('{username}', escapeFilterValue(username));
      let entries: Entry[];
      try {
        ({ searchEntries: entries } = await service.search(provider.baseDn, {
          scope: 'sub',
          filter,
          sizeLimit: 2,
          attributes: [provider.usernameAttribute, provider.emailAttribute, provider.nameAttribute, 'memberOf'],
        }));
      } catch (error) {
        if (error instanceof SizeLimitExceededError) return undefined;
        throw error;
      }
      // Exactly one entry, and its username must be the one typed (LDAP matching is case-insensitive).
      const found = entries.length === 1 ? entries[0] : undefined;
      if (!found || firstText(found[provider.usernameAttribute])?.toLowerCase() !== username.toLowerCase()) return undefined;
      entry = found;
      groups = provider.groupSource === 'memberOf' ? allText(entry.memberOf) : await this.searchGroups(service, provider, entry.dn);
    } finally {
      await service.unbind().catch(() => undefined);
    }
    const user = await this.connect(provider);
    try {
      await user.bind(entry.dn, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return undefined;
      throw error;
    } finally {
      await user.unbind().catch(() => undefined);
    }
    return {
      providerId: provider.id,
      subject: entry.dn,
      email: firstText(entry[provider.emailAttribute]),
      displayName: firstText(entry[provider.nameAttribute]),
      groups,
    };
  }

  private async searchGroups(client: Client, provider: LdapProvider, dn: string): Promise<string[]> {
    const { searchEntries } = await client.search(provider.groupBaseDn ?? provider.baseDn, {
      scope: 'sub',
      filter: `(|(member=${escapeFilterValue(dn)})(uniqueMember=${escapeFilterValue(dn)}))`,
      attributes: ['dn'],
      sizeLimit: 500,
    });
    return searchEntries.map((group) => group.dn);
  }
}
