import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import type { AccessEnv } from '#config/access-env';
import type { BaseEnv } from '#config/env';
import type { EventPublisher } from '#domain/events/events.port';
import type { SecretStore } from '#domain/secrets/secrets.port';
import type { RouteDeclaration } from '#http/route';
import { composePublicApiAccess, type ApiRuntime } from './api-access';
import { sessionDeps, type SessionEdges, type SessionTokenEnv } from './session-composition';

/** What a sign-in needs beyond the table: events (EventBridge), secrets (Secrets Manager) and the session signer (KMS). */
export interface SignInEdges extends SessionEdges {
  events: EventPublisher;
  secrets: SecretStore;
}

/**
 * What both sign-in functions (OIDC; LDAP and break-glass) compose before adding their protocol: the identity
 * stores, the hash-chained audit log (login outcomes are audited like every other action), events, secrets
 * and session issuance. No access gate: every sign-in route is `public` (the caller has no token yet), which
 * `routes` must show.
 */
export function composeSignIn(
  env: BaseEnv & AccessEnv & SessionTokenEnv & { QM_FIRST_USER_ADMIN: string },
  runtime: ApiRuntime & SignInEdges,
  routes: readonly RouteDeclaration[],
) {
  const gated = routes.filter((route) => route.access !== 'public').map((route) => route.operationId);
  if (gated.length > 0) throw new Error(`a sign-in function composes no access gate, so it may not serve ${gated.join(', ')}`);
  const { audit, options, clock, ids } = composePublicApiAccess(env, runtime);
  const stores = dynamoIdentityStores(runtime.doc, env.QM_TABLE_NAME);
  return {
    options,
    deps: {
      ...stores,
      audit,
      events: runtime.events,
      clock,
      ids,
      firstUserBecomesAdmin: env.QM_FIRST_USER_ADMIN === 'true',
      secrets: runtime.secrets,
      sessions: sessionDeps(env, runtime.signer, stores, { clock, ids }),
    },
  };
}
