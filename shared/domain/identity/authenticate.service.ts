import type { Principal } from '../authz/principal';
import type { UserRepository } from './user.schema';

/** A verified claim about who is calling, before the user record is consulted. */
export interface VerifiedIdentity {
  userId: string;
  method: Principal['authMethod'];
}

/** Verifies one kind of credential. `undefined` = not this verifier's kind, or not valid. */
export interface CredentialVerifier {
  verify(credential: string): Promise<VerifiedIdentity | undefined>;
}

/**
 * Turns a bearer credential into a principal: the first verifier that accepts it names the user, and the
 * user record (not the token) supplies org, level and teams. Unknown or disabled users are refused.
 */
export async function authenticate(
  credential: string | undefined,
  deps: { verifiers: readonly CredentialVerifier[]; users: UserRepository },
): Promise<Principal | undefined> {
  if (!credential) return undefined;
  for (const verifier of deps.verifiers) {
    const identity = await verifier.verify(credential);
    if (!identity) continue;
    const user = await deps.users.get(identity.userId);
    if (!user || user.status !== 'active') return undefined;
    return {
      userId: user.id,
      orgId: user.orgId,
      level: user.level,
      platformAdmin: user.platformAdmin,
      teamIds: user.teamIds,
      authMethod: identity.method,
    };
  }
  return undefined;
}

/** The credential from an `Authorization: Bearer <credential>` header value. */
export function bearerCredential(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S{1,8192})$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
