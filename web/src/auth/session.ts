import { ErrorResponse, InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ConsoleConfig, OidcProviderConfig } from '../config';

/**
 * Who is signed in, kept in memory only (never localStorage): a reload signs in again (one click while the
 * identity provider still has a session). Two kinds: an OIDC provider's tokens (code + PKCE in the browser),
 * or a Quartermaster session from the LDAP form (access + single-use refresh token). Both renew with their
 * refresh token before the access token expires (the shell schedules it: `lib/renewal.ts`).
 */
export interface Session {
  providerId: string;
  accessToken: string;
  /** Epoch milliseconds: when this access token was obtained, and when it expires. */
  issuedAt: number;
  expiresAt: number;
  /**
   * A fresh session before this one expires; undefined when the provider refuses (or issued no refresh token):
   * the user signs in again. Rejects when the provider could not be reached (worth another try).
   */
  renew(): Promise<Session | undefined>;
  signOut(): Promise<void>;
}

/** Survives the redirect to the provider and back (only which provider; no token). */
const PENDING_PROVIDER = 'qm.console.provider';
export const CALLBACK_PATH = '/auth/callback';

function userManager(provider: OidcProviderConfig): UserManager {
  const resource = provider.resource ? { resource: provider.resource } : undefined;
  return new UserManager({
    authority: provider.authority,
    client_id: provider.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: provider.scope ?? 'openid profile email',
    // Tokens in memory; only the transient PKCE state goes to sessionStorage so the redirect can finish.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    ...(resource ? { extraQueryParams: resource, extraTokenParams: resource } : {}),
    // The shell schedules renewal for every kind of session (one timer), calling signinSilent below.
    automaticSilentRenew: false,
    monitorSession: false,
  });
}

const managers = new Map<string, UserManager>();
function managerFor(provider: OidcProviderConfig): UserManager {
  let manager = managers.get(provider.id);
  if (!manager) {
    manager = userManager(provider);
    managers.set(provider.id, manager);
  }
  return manager;
}

export async function startOidcSignIn(provider: OidcProviderConfig): Promise<void> {
  window.sessionStorage.setItem(PENDING_PROVIDER, provider.id);
  await managerFor(provider).signinRedirect();
}

/** Finishes the redirect back from the provider; undefined when this page load is not a callback. */
export async function completeOidcSignIn(config: ConsoleConfig): Promise<Session | undefined> {
  if (window.location.pathname !== CALLBACK_PATH) return undefined;
  const providerId = window.sessionStorage.getItem(PENDING_PROVIDER);
  const provider = config.providers.find((entry): entry is OidcProviderConfig => entry.type === 'oidc' && entry.id === providerId);
  if (!provider) throw new Error('Sign-in came back from an unknown identity provider; start again.');
  const user = await managerFor(provider).signinRedirectCallback();
  window.sessionStorage.removeItem(PENDING_PROVIDER);
  window.history.replaceState(null, '', '/');
  return oidcSession(provider, user);
}

function oidcSession(provider: OidcProviderConfig, user: User): Session {
  const manager = managerFor(provider);
  return {
    providerId: provider.id,
    accessToken: user.access_token,
    issuedAt: Date.now(),
    expiresAt: (user.expires_at ?? 0) * 1000,
    // With the refresh token the provider issued to the console (Cognito, the dev IdP): a token request, no
    // page and no frame; oidc-client-ts keeps the rotated refresh token in its in-memory store. A provider that
    // issues none to a public client cannot renew silently here: the user signs in again (one click).
    async renew() {
      if (!user.refresh_token) return undefined;
      try {
        const renewed = await manager.signinSilent(provider.resource ? { resource: provider.resource } : {});
        return renewed ? oidcSession(provider, renewed) : undefined;
      } catch (error) {
        if (error instanceof ErrorResponse) return undefined; // refused (invalid_grant): the IdP session is over
        throw error;
      }
    },
    async signOut() {
      // Revoke the refresh token where the provider offers revocation (Cognito, the dev IdP), then forget it.
      if (user.refresh_token) await manager.revokeTokens(['refresh_token']).catch(() => undefined);
      await manager.removeUser();
    },
  };
}

interface QuartermasterTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** LDAP / AD: the API checks the password and answers with a Quartermaster session. */
export async function passwordSignIn(config: ConsoleConfig, providerId: string, username: string, password: string): Promise<Session> {
  const response = await fetch(`${config.apiUrl}/v1/auth/ldap/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: providerId, username, password }),
  });
  if (!response.ok) throw new Error(response.status === 401 ? 'Unknown user or wrong password.' : `Sign-in failed (HTTP ${response.status}).`);
  return quartermasterSession(config, providerId, (await response.json()) as QuartermasterTokens);
}

function quartermasterSession(config: ConsoleConfig, providerId: string, tokens: QuartermasterTokens): Session {
  return {
    providerId,
    accessToken: tokens.accessToken,
    issuedAt: Date.now(),
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    async renew() {
      const response = await fetch(`${config.apiUrl}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      return response.ok ? quartermasterSession(config, providerId, (await response.json()) as QuartermasterTokens) : undefined;
    },
    async signOut() {},
  };
}
