import { dynamoIdentityStores, type IdentityStores } from '#adapters/dynamodb/identity-stores';
import type { AccessEnv } from '#config/access-env';
import type { BaseEnv } from '#config/env';
import type { EventPublisher } from '#domain/events/event-envelope';
import type { SessionDeps, TokenSigner } from '#domain/identity/session.service';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import { composeApiAccess, type ApiRuntime } from './api-access';

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

/** What a sign-in needs beyond the table: events (EventBridge), secrets (Secrets Manager) and the session signer (KMS). */
export interface SignInEdges extends SessionEdges {
  events: EventPublisher;
  secrets: SecretStore;
}

/**
 * What both sign-in functions (OIDC; LDAP and break-glass) compose before adding their protocol: the identity
 * stores, the hash-chained audit log (login outcomes are audited like every other action), events, secrets
 * and session issuance.
 */
export function composeSignIn(
  env: BaseEnv & AccessEnv & SessionTokenEnv & { QM_FIRST_USER_ADMIN: string },
  runtime: ApiRuntime & SignInEdges,
) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  const stores = dynamoIdentityStores(runtime.doc, env.QM_TABLE_NAME);
  return {
    options,
    deps: {
      ...stores,
      audit: access.audit,
      events: runtime.events,
      clock,
      ids,
      firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
      secrets: runtime.secrets,
      sessions: sessionDeps(env, runtime.signer, stores, { clock, ids }),
    },
  };
}
