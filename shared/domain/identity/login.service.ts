import type { AuditLog } from '#domain/audit/audit.port';
import { AppError } from '#domain/errors/app-error';
import type { EventPublisher } from '#domain/events/events.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { BootstrapRegistry, ExternalIdentityRepository, UserRepository } from './identity.port';
import { mapGroups, type ExternalProfile, type MappedAccess } from './group-mapping';
import type { IdentityProvider } from './identity-provider.schema';
import { owningOrg, withinProviderScope } from './provider-scope';
import { LoginFailure, recordLoginFailure, type LoginContext } from './login-failure';
import type { User } from '#domain/users/user.schema';

export interface LoginDeps {
  users: UserRepository;
  identities: ExternalIdentityRepository;
  bootstrap: BootstrapRegistry;
  audit: AuditLog;
  events: EventPublisher;
  clock: Clock;
  ids: IdSource;
  /** Opt-in: the first user provisioned at all becomes a platform admin. */
  firstUserBecomesAdmin: boolean;
}

/** Mapping is skipped only for providers that configure none (users then keep what an admin gave them). */
const syncsAccess = (provider: IdentityProvider): boolean => provider.groupMappings.length > 0 || provider.defaultLevel !== undefined;

function withAccess(user: User, access: MappedAccess | undefined, profile: ExternalProfile): User {
  return {
    ...user,
    // The org is never taken from the mapping: `existingUser` refused any mapping that names another.
    ...(access
      ? { level: access.level, teamIds: access.teamIds, platformAdmin: access.platformAdmin, resourceGrants: access.resourceGrants }
      : {}),
    ...(profile.email ? { email: profile.email } : {}),
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
  };
}

const changed = (a: User, b: User): boolean =>
  a.orgId !== b.orgId ||
  a.level !== b.level ||
  a.platformAdmin !== b.platformAdmin ||
  a.email !== b.email ||
  a.displayName !== b.displayName ||
  a.teamIds.join(',') !== b.teamIds.join(',') ||
  JSON.stringify(a.resourceGrants ?? []) !== JSON.stringify(b.resourceGrants ?? []);

/**
 * Turns a verified external profile into a Quartermaster user (docs/architecture.md#identity): follows the identity link,
 * re-applies the group mapping at every login (level, teams, platform flag; never the org: a mapping that
 * names another org than the user's refuses the sign-in), provisions just in time when the provider allows
 * it, and refuses disabled users. Successes and failures are audited; failures also emit `auth.login_failure`.
 */
export async function signIn(
  provider: IdentityProvider,
  profile: ExternalProfile,
  deps: LoginDeps,
  context: LoginContext = {},
): Promise<User> {
  try {
    if (!provider.enabled) throw new LoginFailure('provider_disabled', provider.id);
    const access = syncsAccess(provider) ? mapGroups(provider, profile.groups) : undefined;
    if (syncsAccess(provider) && !access) throw new LoginFailure('no_mapping', provider.id);
    // Whatever the stored provider says, an org's provider places users in that org only, never as platform admins.
    if (access && !withinProviderScope(provider, access)) throw new LoginFailure('mapping_out_of_scope', provider.id);
    const link = await deps.identities.get(provider.id, profile.subject);
    const user = link ? await existingUser(link.userId, provider, access, profile, deps) : await provision(provider, access, profile, deps);
    await deps.audit.append({
      actor: user.id,
      orgId: user.orgId,
      action: 'auth.login',
      target: `user/${user.id}`,
      outcome: 'success',
      sourceIp: context.sourceIp,
      requestId: context.requestId,
      details: { provider: provider.id, method: provider.type, provisioned: !link },
    });
    return user;
  } catch (error) {
    if (error instanceof LoginFailure) await recordLoginFailure(error, deps, context, provider.type);
    throw error;
  }
}

/** A sign-in that keeps losing the race with administrators' changes to the same user gives up after this many reads. */
const SYNC_ATTEMPTS = 3;

async function existingUser(
  userId: string,
  provider: IdentityProvider,
  access: MappedAccess | undefined,
  profile: ExternalProfile,
  deps: LoginDeps,
): Promise<User> {
  for (let attempt = 0; attempt < SYNC_ATTEMPTS; attempt += 1) {
    const user = await deps.users.get(userId);
    if (!user) throw new LoginFailure('user_missing', provider.id);
    if (user.status !== 'active') throw new LoginFailure('user_disabled', provider.id);
    // A sign-in never moves a user to another org (docs/permissions.md#tenancy): a mapping, or an org's provider, that names
    // another org than the user's is refused rather than applied; an administrator resolves the disagreement.
    const providerOrg = owningOrg(provider);
    if ((access && access.orgId !== user.orgId) || (providerOrg !== undefined && providerOrg !== user.orgId))
      throw new LoginFailure('org_mismatch', provider.id);
    // The bootstrap admin keeps admin whatever the mapping says, or the deployment could lose its only admin.
    const bootstrapAdmin = access && deps.firstUserBecomesAdmin && (await deps.bootstrap.firstAdmin()) === user.id;
    const synced = withAccess(user, bootstrapAdmin ? { ...access, level: 'admin', platformAdmin: true } : access, profile);
    if (!changed(user, synced)) return user;
    // Conditional on the version read, and moving it, like an administrator's change: a login can never write
    // back a record an admin changed (say, disabled) in between. The next round re-reads what they wrote.
    const version = user.authzVersion ?? 0;
    const next: User = { ...synced, authzVersion: version + 1, updatedAt: deps.clock.now().toISOString() };
    if (await deps.users.save(next, version)) return next;
  }
  throw new AppError('unavailable', 'The account is being changed; try signing in again', { retryAfterSeconds: 1 });
}

async function provision(
  provider: IdentityProvider,
  access: MappedAccess | undefined,
  profile: ExternalProfile,
  deps: LoginDeps,
): Promise<User> {
  if (!provider.jitProvisioning) throw new LoginFailure('not_provisioned', provider.id);
  if (!access) throw new LoginFailure('no_mapping', provider.id);
  const now = deps.clock.now().toISOString();
  const id = deps.ids.next().toLowerCase();
  let user: User = {
    schemaVersion: 1,
    id,
    email: profile.email ?? `${id}@users.invalid`,
    displayName: profile.displayName ?? profile.email ?? id,
    orgId: access.orgId,
    level: access.level,
    platformAdmin: access.platformAdmin,
    teamIds: access.teamIds,
    resourceGrants: access.resourceGrants,
    status: 'active',
    createdAt: now,
  };
  if (deps.firstUserBecomesAdmin && (await deps.bootstrap.claimFirstAdmin(id, now))) {
    user = { ...user, level: 'admin', platformAdmin: true };
  }
  await deps.users.create(user);
  const stored = await deps.identities.link({ providerId: provider.id, subject: profile.subject, userId: id, createdAt: now });
  // Two first logins of the same account raced: the link that won names the user; ours is left unused.
  if (stored.userId !== id) return existingUser(stored.userId, provider, access, profile, deps);
  return user;
}
