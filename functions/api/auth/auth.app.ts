import type { LoginDeps } from '../../../shared/domain/identity/login.service';
import { completeOidcLogin, startOidcLogin, type OidcLoginDeps } from '../../../shared/domain/identity/oidc-login.service';
import {
  breakGlassLogin,
  ldapLogin,
  type BreakGlassDeps,
  type PasswordLoginDeps,
} from '../../../shared/domain/identity/password-login.service';
import type { SessionDeps } from '../../../shared/domain/identity/session.service';
import { createApiHandler, type ApiHandlerOptions } from '../../../shared/http/api-handler';
import { authRoutes } from './auth.routes';
import { contextOf, refusing } from './sign-in-refusal';

export interface AuthDeps extends OidcLoginDeps, PasswordLoginDeps {
  sessions: SessionDeps;
  breakGlass: Pick<BreakGlassDeps, 'enabled' | 'secret'>;
}

/** Interactive sign-in routes (OIDC, LDAP, break-glass): thin wrappers over the login use cases; the session is the only thing they return. */
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
      breakGlassLogin: async (ctx) =>
        refusing(async () => ({
          status: 200,
          body: await breakGlassLogin(ctx.body.secret, { ...loginDeps, ...deps.breakGlass, sessions: deps.sessions }, contextOf(ctx)),
        })),
    },
    options,
  );
}
