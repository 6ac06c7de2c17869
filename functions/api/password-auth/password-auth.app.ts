import type { LoginDeps } from '#domain/identity/login.service';
import { breakGlassLogin, ldapLogin, type BreakGlassDeps, type PasswordLoginDeps } from '#domain/identity/password-login.service';
import type { SessionDeps } from '#domain/identity/session.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { contextOf, refusing } from '#functions/api/auth/sign-in-refusal';
import { passwordAuthRoutes } from './password-auth.routes';

export interface PasswordAuthDeps extends PasswordLoginDeps {
  sessions: SessionDeps;
  breakGlass: Pick<BreakGlassDeps, 'enabled' | 'secret'>;
}

/** LDAP and break-glass sign-in: thin wrappers over the login use cases; the session is the only thing they return. */
export function createPasswordAuthHandler(deps: PasswordAuthDeps, options: ApiHandlerOptions = {}) {
  const loginDeps: LoginDeps = deps;
  return createApiHandler(
    passwordAuthRoutes,
    {
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
