import type { CredentialVerifier, UserRepository } from './identity.port';
import type { Principal } from '#domain/authz/principal';

export interface AuthenticatedPrincipal {
  principal: Principal;
  expiresAt?: number | undefined;
}

/**
 * Turns a bearer credential into a principal: the first verifier that accepts it names the user, and the
 * user record (not the token) supplies org, level and teams. Unknown or disabled users are refused.
 */
export async function authenticate(
  credential: string | undefined,
  deps: { verifiers: readonly CredentialVerifier[]; users: UserRepository },
): Promise<AuthenticatedPrincipal | undefined> {
  if (!credential) return undefined;
  for (const verifier of deps.verifiers) {
    const identity = await verifier.verify(credential);
    if (!identity) continue;
    const user = identity.user ?? (await deps.users.get(identity.userId));
    if (!user || user.id !== identity.userId || user.status !== 'active') return undefined;
    return {
      principal: {
        userId: user.id,
        orgId: user.orgId,
        level: user.level,
        platformAdmin: user.platformAdmin,
        teamIds: user.teamIds,
        authMethod: identity.method,
        ...(identity.scopes ? { scopes: identity.scopes } : {}),
        ...(identity.apiKeyHash ? { apiKeyHash: identity.apiKeyHash } : {}),
      },
      expiresAt: identity.expiresAt,
    };
  }
  return undefined;
}

/** The credential from an `Authorization: Bearer <credential>` header value. */
export function bearerCredential(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{1,8192})$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
