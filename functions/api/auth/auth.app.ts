import { AppError } from '../../../shared/domain/errors/app-error';
import { LoginFailure, type LoginContext, type LoginDeps } from '../../../shared/domain/identity/login.service';
import { completeOidcLogin, startOidcLogin, type OidcLoginDeps } from '../../../shared/domain/identity/oidc-login.service';
import { breakGlassLogin, ldapLogin, type BreakGlassDeps, type PasswordLoginDeps } from '../../../shared/domain/identity/password-login.service';
import { recordLoginFailure } from '../../../shared/domain/identity/login.service';
import { refreshSession, type SessionDeps } from '../../../shared/domain/identity/session.service';
import { createApiHandler, type ApiHandlerOptions } from '../../../shared/http/api-handler';
import { authRoutes } from './auth.routes';

export interface AuthDeps extends OidcLoginDeps, PasswordLoginDeps {
  sessions: SessionDeps;
  breakGlass: Pick<BreakGlassDeps, 'enabled' | 'secret'>;
}

/** Every refusal looks the same from outside (DESIGN §4.1): no oracle for unknown users or disabled accounts. */
const SIGN_IN_FAILED = 'Sign-in failed';

async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LoginFailure) throw new AppError('unauthenticated', SIGN_IN_FAILED);
    throw error;
  }
}

const contextOf = (ctx: { sourceIp: string; requestId: string }): LoginContext => ({ sourceIp: ctx.sourceIp, requestId: ctx.requestId });

/** Sign-in routes: thin wrappers over the login use cases; the session is the only thing they return. */
export function createAuthHandler(deps: AuthDeps, options: ApiHandlerOptions = {}) {
  const loginDeps: LoginDeps = deps;
  return createApiHandler(
    authRoutes,
    {
      oidcLogin: async (ctx) =>
        refusing(async () => ({ status: 302, headers: { location: await startOidcLogin(ctx.params.provider, deps, contextOf(ctx)) } })),
      oidcCallback: async (ctx) =>
        refusing(async () => ({ status: 200, body: await completeOidcLogin(ctx.params.provider, ctx.query, deps, contextOf(ctx)) })),
      ldapLogin: async (ctx) => refusing(async () => ({ status: 200, body: await ldapLogin(ctx.body, deps, contextOf(ctx)) })),
      refreshSession: async (ctx) =>
        refusing(async () => {
          try {
            return { status: 200, body: (await refreshSession(ctx.body.refreshToken, deps.sessions)).session };
          } catch (error) {
            if (error instanceof LoginFailure) await recordLoginFailure(error, loginDeps, contextOf(ctx), 'refresh');
            throw error;
          }
        }),
      breakGlassLogin: async (ctx) =>
        refusing(async () => ({
          status: 200,
          body: await breakGlassLogin(ctx.body.secret, { ...loginDeps, ...deps.breakGlass, sessions: deps.sessions }, contextOf(ctx)),
        })),
      getJwks: async () => ({ status: 200, body: await deps.sessions.signer.publicJwks(), headers: { 'cache-control': 'public, max-age=300' } }),
    },
    options,
  );
}
