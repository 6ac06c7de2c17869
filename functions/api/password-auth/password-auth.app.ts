import type { LoginDeps } from '#domain/identity/login.service';
import { breakGlassLogin, ldapLogin, type BreakGlassDeps, type PasswordLoginDeps } from '#domain/identity/password-login.service';
import type { SessionDeps } from '#domain/identity/session.service';
import { throttledSignIn } from '#domain/identity/sign-in-throttle';
import type { LdapDirectory, SignInThrottleStore } from '#domain/identity/identity.port';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { contextOf, refusing } from '#functions/api/sign-in-refusal';
import { passwordAuthRoutes } from './password-auth.routes';
import type { ApiRuntime } from '#functions/api/api-access';
import { composeSignIn, type SignInEdges } from '#functions/api/sign-in-composition';
import type { PasswordAuthEnv } from './password-auth.env';

export interface PasswordAuthDeps extends PasswordLoginDeps {
  sessions: SessionDeps;
  breakGlass: Pick<BreakGlassDeps, 'enabled' | 'secret'>;
  /** Failure counts shared by every instance: per account (backoff) and per source address (cap). */
  throttle: SignInThrottleStore;
}

/** LDAP and break-glass sign-in: thin wrappers over the login use cases; the session is the only thing they return. */
export function createPasswordAuthHandler(deps: PasswordAuthDeps, options: ApiHandlerOptions = {}) {
  const loginDeps: LoginDeps = deps;
  return createApiHandler(
    passwordAuthRoutes,
    {
      ldapLogin: async (ctx) =>
        refusing(async () => {
          const account = `ldap:${ctx.body.provider ?? ''}:${ctx.body.username.trim()}`;
          const session = await throttledSignIn({ account, source: ctx.sourceIp }, 'ldap', deps, contextOf(ctx), () =>
            ldapLogin(ctx.body, deps, contextOf(ctx)),
          );
          return { status: 200, body: session };
        }),
      breakGlassLogin: async (ctx) =>
        refusing(async () => {
          const session = await throttledSignIn({ account: 'break-glass', source: ctx.sourceIp }, 'break_glass', deps, contextOf(ctx), () =>
            breakGlassLogin(ctx.body.secret, { ...loginDeps, ...deps.breakGlass, sessions: deps.sessions }, contextOf(ctx)),
          );
          return { status: 200, body: session };
        }),
    },
    options,
  );
}

/** The password sign-in function (LDAP, break-glass), as Lambda, the local stack and the tests build it; `ldap` is ldapts. */
export function composePasswordAuth(env: PasswordAuthEnv, runtime: ApiRuntime & SignInEdges & { ldap: LdapDirectory }) {
  const { deps, options } = composeSignIn(env, runtime, passwordAuthRoutes);
  const secretId = env.QM_BREAK_GLASS_SECRET_ID;
  return createPasswordAuthHandler(
    {
      ...deps,
      ldap: runtime.ldap,
      breakGlass: {
        enabled: env.QM_BREAK_GLASS_ENABLED === 'true' && secretId !== undefined,
        secret: () => (secretId ? deps.secrets.get(secretId) : Promise.reject(new Error('no break-glass secret'))),
      },
    },
    options,
  );
}
