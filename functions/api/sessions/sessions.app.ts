import { LoginFailure, recordLoginFailure, type LoginDeps } from '#domain/identity/login.service';
import { refreshSession, type SessionDeps } from '#domain/identity/session.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { contextOf, refusing } from '#functions/api/auth/sign-in-refusal';
import { sessionsRoutes } from './sessions.routes';

export interface SessionsDeps extends Pick<LoginDeps, 'audit' | 'events' | 'clock' | 'ids'> {
  sessions: SessionDeps;
}

/** Refresh (a refused refresh is audited and emits `auth.login_failure`, like any refused sign-in) and the JWKS. */
export function createSessionsHandler(deps: SessionsDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    sessionsRoutes,
    {
      refreshSession: async (ctx) =>
        refusing(async () => {
          try {
            return { status: 200, body: (await refreshSession(ctx.body.refreshToken, deps.sessions)).session };
          } catch (error) {
            if (error instanceof LoginFailure) await recordLoginFailure(error, deps, contextOf(ctx), 'refresh');
            throw error;
          }
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
