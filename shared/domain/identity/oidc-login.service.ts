import type { IdentityProviderRepository, LoginStateStore, OidcClient } from './identity.port';
import { createHash, randomBytes } from 'node:crypto';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { claimAt, groupsFromClaim, type ExternalProfile } from './group-mapping';
import type { OidcProvider } from './identity-provider.schema';
import { LoginFailure, recordLoginFailure, type LoginContext } from './login-failure';
import { signIn, type LoginDeps } from './login.service';
import { issueSession, type IssuedSession, type SessionDeps } from './session.service';
import type { SignInGate } from './sign-in-throttle';

/**
 * Server-side OIDC login for confidential clients (docs/architecture.md#identity): `/login` stores state, nonce, PKCE
 * verifier and the expected issuer for 10 minutes and redirects; `/callback` consumes that record
 * atomically (single use, any Lambda instance), exchanges the code and issues a Quartermaster session.
 */
export const LOGIN_STATE_TTL_SECONDS = 600;

export interface OidcLoginDeps extends LoginDeps {
  providers: IdentityProviderRepository;
  states: LoginStateStore;
  oidc: OidcClient;
  secrets: SecretStore;
  sessions: SessionDeps;
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
const random = (): string => randomBytes(32).toString('base64url');

async function oidcProvider(id: string, deps: OidcLoginDeps): Promise<OidcProvider> {
  const provider = await deps.providers.get(id);
  if (!provider || provider.type !== 'oidc') throw new LoginFailure('provider_unknown', id);
  if (!provider.enabled) throw new LoginFailure('provider_disabled', id);
  if (!provider.redirectUri || !provider.clientSecretRef) throw new LoginFailure('provider_unknown', id);
  return provider;
}

/** Step 1: returns the provider URL to redirect the browser to. */
export async function startOidcLogin(providerId: string, deps: OidcLoginDeps, context: LoginContext = {}): Promise<string> {
  try {
    const provider = await oidcProvider(providerId, deps);
    const state = random();
    const nonce = random();
    const codeVerifier = random();
    const now = deps.clock.now();
    const redirectUri = provider.redirectUri ?? '';
    await deps.states.put({
      stateHash: sha256(state),
      providerId,
      nonce,
      codeVerifier,
      redirectUri,
      expectedIssuer: provider.issuer,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + LOGIN_STATE_TTL_SECONDS,
    });
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const secret = provider.clientSecretRef ? await deps.secrets.get(provider.clientSecretRef) : undefined;
    return await deps.oidc.authorizationUrl(provider, secret, { state, nonce, codeChallenge, redirectUri });
  } catch (error) {
    if (error instanceof LoginFailure) await recordLoginFailure(error, deps, context, 'oidc');
    throw error;
  }
}

/**
 * Step 2: the provider sent the browser back with `code` and `state` (or an `error`). The principal (the
 * external subject) is known once the code is exchanged: it is named to `gate` (sign-in throttling) then.
 */
export async function completeOidcLogin(
  providerId: string,
  query: { code?: string | undefined; state?: string | undefined; error?: string | undefined; iss?: string | undefined },
  deps: OidcLoginDeps,
  context: LoginContext = {},
  gate?: SignInGate,
): Promise<IssuedSession> {
  const provider = await oidcProvider(providerId, deps).catch(async (error: unknown) => {
    if (error instanceof LoginFailure) await recordLoginFailure(error, deps, context, 'oidc');
    throw error;
  });
  const fail = async (reason: LoginFailure['reason']): Promise<never> => {
    const failure = new LoginFailure(reason, providerId);
    await recordLoginFailure(failure, deps, context, 'oidc');
    throw failure;
  };
  if (!query.state) return fail('state_missing');
  // Consumed before anything else, so a replay finds nothing whatever happens next.
  const stored = await deps.states.consume(sha256(query.state));
  if (!stored) return fail('state_unknown');
  const now = deps.clock.now();
  if (stored.expiresAt <= Math.floor(now.getTime() / 1000)) return fail('state_expired');
  if (stored.providerId !== providerId || stored.expectedIssuer !== provider.issuer) return fail('state_mismatch');
  if (query.error || !query.code) return fail('code_exchange_failed');

  const callbackUrl = new URL(stored.redirectUri);
  // `iss` (RFC 9207) is passed through: openid-client checks it against the expected issuer.
  callbackUrl.search = new URLSearchParams({ code: query.code, state: query.state, ...(query.iss ? { iss: query.iss } : {}) }).toString();
  let claims: Record<string, unknown>;
  try {
    const secret = provider.clientSecretRef ? await deps.secrets.get(provider.clientSecretRef) : undefined;
    claims = await deps.oidc.exchangeCode(provider, secret, callbackUrl, {
      state: query.state,
      nonce: stored.nonce,
      codeVerifier: stored.codeVerifier,
      expectedIssuer: stored.expectedIssuer,
    });
  } catch {
    // Wrong nonce, a bad code, an ID token that does not verify: the caller learns only "refused".
    return fail('code_exchange_failed');
  }
  const profile = profileFromClaims(provider, claims);
  await gate?.principal(`oidc:${provider.id}:${profile.subject}`);
  const user = await signIn(provider, profile, deps, context);
  return issueSession(user, `oidc:${provider.id}`, deps.sessions);
}

/** The profile an OIDC provider's verified claims describe; the subject is `issuer#sub`. */
export function profileFromClaims(provider: OidcProvider, claims: Record<string, unknown>): ExternalProfile {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.length > 0 && value.length <= 320 ? value : undefined;
  const iss = text(claims.iss) ?? provider.issuer;
  const sub = text(claims.sub);
  if (!sub) throw new LoginFailure('code_exchange_failed', provider.id);
  return {
    providerId: provider.id,
    subject: `${iss}#${sub}`,
    email: text(claimAt(claims, provider.emailClaim)),
    displayName: text(claimAt(claims, provider.nameClaim)),
    groups: groupsFromClaim(claimAt(claims, provider.groupsClaim)),
  };
}
