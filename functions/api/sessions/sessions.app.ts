import { LoginFailure, recordLoginFailure, type LoginFailureDeps } from '#domain/identity/login-failure';
import { RefreshTokenReuse, refreshSession, type SessionDeps } from '#domain/identity/session.service';
import { throttledSignIn } from '#domain/identity/sign-in-throttle';
import type { SignInThrottleStore } from '#domain/identity/identity.port';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { contextOf, refusing } from '#functions/api/sign-in-refusal';
import { sessionsRoutes } from './sessions.routes';
import { DynamoRefreshTokenStore } from '#adapters/dynamodb/dynamo-session.repository';
import { DynamoSignInThrottle } from '#adapters/dynamodb/dynamo-sign-in-throttle.repository';
import { DynamoUserRepository } from '#adapters/dynamodb/dynamo-user.repository';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { sessionDeps, type SessionEdges } from '#functions/api/session-composition';
import type { EventPublisher } from '#domain/events/events.port';
import type { SessionsEnv } from './sessions.env';

export interface SessionsDeps extends LoginFailureDeps {
  sessions: SessionDeps;
  /** Failure counts shared by every instance: per source address (cap) and per token family (backoff). */
  throttle: SignInThrottleStore;
}

/**
 * A replayed refresh token revoked its family: the owner's org gets an entry naming both tokens (the one
 * replayed, and the one it had been exchanged for), so an administrator can tell which sign-in leaked.
 */
async function recordReuse(reuse: RefreshTokenReuse, deps: SessionsDeps, ctx: { sourceIp: string; requestId: string }): Promise<void> {
  await deps.audit.append({
    actor: reuse.spent.userId,
    orgId: reuse.orgId ?? 'platform',
    action: 'auth.refresh_reuse',
    target: `user/${reuse.spent.userId}`,
    outcome: 'denied',
    sourceIp: ctx.sourceIp,
    requestId: ctx.requestId,
    details: {
      familyId: reuse.spent.familyId,
      replayedTokenId: reuse.spent.id,
      ...(reuse.spent.replacedBy ? { successorTokenId: reuse.spent.replacedBy } : {}),
      familyRevoked: true,
    },
  });
}

/**
 * Refresh (a refused refresh is audited and emits `auth.login_failure`, like any refused sign-in, and counts
 * towards sign-in throttling: per source address, and per token family) and the JWKS.
 */
export function createSessionsHandler(deps: SessionsDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    sessionsRoutes,
    {
      refreshSession: async (ctx) =>
        refusing(async () => {
          const { session } = await throttledSignIn({ source: ctx.sourceIp }, 'refresh', deps, contextOf(ctx), async (gate) => {
            try {
              return await refreshSession(ctx.body.refreshToken, deps.sessions, gate);
            } catch (error) {
              if (error instanceof RefreshTokenReuse) await recordReuse(error, deps, ctx);
              if (error instanceof LoginFailure) await recordLoginFailure(error, deps, contextOf(ctx), 'refresh');
              throw error;
            }
          });
          return { status: 200, body: session };
        }),
      getJwks: async () => ({
        status: 200,
        body: await deps.sessions.signer.publicJwks(),
        headers: { 'cache-control': 'public, max-age=300' },
      }),
    },
    options,
  );
}

/** The sessions function (refresh, JWKS), as Lambda, the local stack and the tests build it: no IdP libraries. */
export function composeSessions(env: SessionsEnv, runtime: ApiRuntime & SessionEdges & { events: EventPublisher }) {
  const { access, options, clock, ids } = composeApiAccess(env, runtime);
  const stores = {
    refreshTokens: new DynamoRefreshTokenStore(runtime.doc, env.QM_TABLE_NAME),
    users: new DynamoUserRepository(runtime.doc, env.QM_TABLE_NAME),
  };
  return createSessionsHandler(
    {
      audit: access.audit,
      events: runtime.events,
      clock,
      ids,
      sessions: sessionDeps(env, runtime.signer, stores, { clock, ids }),
      throttle: new DynamoSignInThrottle(runtime.doc, env.QM_TABLE_NAME),
    },
    options,
  );
}
