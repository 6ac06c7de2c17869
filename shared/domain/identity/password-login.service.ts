import type { IdentityProviderRepository, LdapDirectory } from './identity.port';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { ExternalProfile } from './group-mapping';
import type { LdapProvider } from './identity-provider.schema';
import { LoginFailure, recordLoginFailure, type LoginContext } from './login-failure';
import { signIn, type LoginDeps } from './login.service';
import { issueSession, type IssuedSession, type SessionDeps } from './session.service';
import type { User } from '#domain/users/user.schema';

export interface PasswordLoginDeps extends LoginDeps {
  providers: IdentityProviderRepository;
  secrets: SecretStore;
  ldap: LdapDirectory;
  sessions: SessionDeps;
}

/**
 * Empty or whitespace-only passwords are refused here, before any directory call: an LDAP simple bind
 * with an empty password is an anonymous bind, which many servers "accept" (RFC 4513 §5.1.2).
 */
export const isBlankPassword = (password: string): boolean => password.trim().length === 0;

async function ldapProvider(requested: string | undefined, deps: PasswordLoginDeps): Promise<LdapProvider> {
  if (requested) {
    const provider = await deps.providers.get(requested);
    if (!provider || provider.type !== 'ldap') throw new LoginFailure('provider_unknown', requested);
    if (!provider.enabled) throw new LoginFailure('provider_disabled', requested);
    return provider;
  }
  const enabled = (await deps.providers.list()).filter((p): p is LdapProvider => p.type === 'ldap' && p.enabled);
  // Without a name the choice must be unambiguous: one enabled LDAP provider.
  if (enabled.length !== 1 || !enabled[0]) throw new LoginFailure('provider_unknown');
  return enabled[0];
}

/** `POST /v1/auth/ldap/login`: username and password → a Quartermaster session. */
export async function ldapLogin(
  input: { provider?: string | undefined; username: string; password: string },
  deps: PasswordLoginDeps,
  context: LoginContext = {},
): Promise<IssuedSession> {
  const ctx: LoginContext = { ...context, attemptedName: input.username };
  let provider: LdapProvider;
  let profile: ExternalProfile | undefined;
  try {
    provider = await ldapProvider(input.provider, deps);
    if (isBlankPassword(input.password) || input.username.trim().length === 0) throw new LoginFailure('invalid_credentials', provider.id);
    const bindPassword = await deps.secrets.get(provider.bindPasswordRef);
    try {
      profile = await deps.ldap.authenticate(provider, bindPassword, input.username, input.password);
    } catch {
      // Directory unreachable or misconfigured: still the same answer to the caller, a distinct audit reason.
      throw new LoginFailure('provider_error', provider.id);
    }
    if (!profile) throw new LoginFailure('invalid_credentials', provider.id);
  } catch (error) {
    if (error instanceof LoginFailure) await recordLoginFailure(error, deps, ctx, 'ldap');
    throw error;
  }
  const user = await signIn(provider, profile, deps, ctx);
  return issueSession(user, `ldap:${provider.id}`, deps.sessions);
}

export interface BreakGlassDeps extends Pick<LoginDeps, 'audit' | 'events' | 'clock' | 'ids' | 'users'> {
  /** Off unless the deployment turned it on (docs/architecture.md#identity: disabled by default). */
  enabled: boolean;
  /** The generated secret (from Secrets Manager); read only when enabled. */
  secret: () => Promise<string>;
  sessions: SessionDeps;
}

export const BREAK_GLASS_USER_ID = 'break-glass';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The bootstrap admin path: a generated secret exchanged for a short, non-refreshable platform-admin
 * session. Every attempt, successful or not, is audited; failures also emit `auth.login_failure`.
 */
export async function breakGlassLogin(presented: string, deps: BreakGlassDeps, context: LoginContext = {}): Promise<IssuedSession> {
  const fail = async (reason: LoginFailure['reason']): Promise<never> => {
    const failure = new LoginFailure(reason, 'break-glass');
    await recordLoginFailure(failure, deps, context, 'break_glass');
    throw failure;
  };
  if (!deps.enabled) return fail('break_glass_disabled');
  const expected = await deps.secret();
  // Hashing first gives equal-length buffers, so the comparison is constant-time whatever was sent.
  if (expected.length < 16 || isBlankPassword(presented) || !timingSafeEqual(digest(presented), digest(expected)))
    return fail('break_glass_invalid');
  const now = deps.clock.now().toISOString();
  const user: User = (await deps.users.get(BREAK_GLASS_USER_ID)) ?? {
    schemaVersion: 1,
    id: BREAK_GLASS_USER_ID,
    email: 'break-glass@quartermaster.invalid',
    displayName: 'Break-glass administrator',
    orgId: 'platform',
    level: 'admin',
    platformAdmin: true,
    teamIds: [],
    status: 'active',
    createdAt: now,
  };
  if (user.status !== 'active') return fail('user_disabled');
  await deps.users.create(user);
  await deps.audit.append({
    actor: user.id,
    orgId: 'platform',
    action: 'auth.break_glass',
    target: `user/${user.id}`,
    outcome: 'success',
    sourceIp: context.sourceIp,
    requestId: context.requestId,
    details: { method: 'break_glass' },
  });
  return issueSession(user, 'break_glass', deps.sessions, { refreshable: false });
}
