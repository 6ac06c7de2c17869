import { KMSClient } from '@aws-sdk/client-kms';
import { KmsTokenSigner } from '#adapters/kms/kms-token.signer';
import type { RefreshTokenStore, SessionDeps } from '#domain/identity/session.service';
import type { UserRepository } from '#domain/identity/user.schema';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';

/** The session settings both the sign-in and the sessions functions read from their env. */
export interface SessionTokenEnv {
  QM_API_BASE_URL: string;
  QM_SESSION_AUDIENCE: string;
  QM_SESSION_KMS_KEY_ID: string;
  QM_ACCESS_TOKEN_SECONDS: number;
  QM_REFRESH_TOKEN_SECONDS: number;
}

/** Session issuance as deployed: tokens signed by the KMS key, refresh tokens in the table. */
export function kmsSessions(
  env: SessionTokenEnv,
  stores: { refreshTokens: RefreshTokenStore; users: UserRepository },
  runtime: { clock: Clock; ids: IdSource },
): SessionDeps {
  return {
    signer: new KmsTokenSigner(new KMSClient(boundedAwsClientConfig()), env.QM_SESSION_KMS_KEY_ID),
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
