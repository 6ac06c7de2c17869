import type { IdentityStores } from '#adapters/dynamodb/identity-stores';
import type { SessionDeps } from '#domain/identity/session.service';
import type { TokenSigner } from '#domain/identity/identity.port';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/*
 * Session issuance, shared by the sign-in functions and the sessions function (refresh). Apart from
 * sign-in-composition.ts so that the sessions function, called all day, bundles no identity-provider store.
 */

/** The session settings the sign-in and the sessions functions read from their env. */
export interface SessionTokenEnv {
  QM_API_BASE_URL: string;
  QM_SESSION_AUDIENCE: string;
  QM_ACCESS_TOKEN_SECONDS: number;
  QM_REFRESH_TOKEN_SECONDS: number;
}

/** What issuing sessions needs beyond the table: the key that signs them (KMS when deployed). */
export interface SessionEdges {
  signer: TokenSigner;
}

/** Session issuance: tokens signed by `signer`, refresh tokens in the table, lifetimes from the env. */
export function sessionDeps(
  env: SessionTokenEnv,
  signer: TokenSigner,
  stores: Pick<IdentityStores, 'refreshTokens' | 'users'>,
  runtime: { clock: Clock; ids: IdSource },
): SessionDeps {
  return {
    signer,
    refreshTokens: stores.refreshTokens,
    users: stores.users,
    ...runtime,
    settings: {
      issuer: env.QM_API_BASE_URL,
      audience: env.QM_SESSION_AUDIENCE,
      accessTokenSeconds: env.QM_ACCESS_TOKEN_SECONDS,
      refreshTokenSeconds: env.QM_REFRESH_TOKEN_SECONDS,
    },
  };
}
