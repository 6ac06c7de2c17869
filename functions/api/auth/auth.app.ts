import { completeOidcLogin, startOidcLogin, type OidcLoginDeps } from '#domain/identity/oidc-login.service';
import { throttledSignIn } from '#domain/identity/sign-in-throttle';
import type { OidcClient, SignInThrottleStore } from '#domain/identity/identity.port';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { authRoutes } from './auth.routes';
import { contextOf, refusing } from '#functions/api/sign-in-refusal';
import type { ApiRuntime } from '#functions/api/api-access';
import { composeSignIn, type SignInEdges } from '#functions/api/sign-in-composition';
import type { AuthEnv } from './auth.env';

export interface AuthDeps extends OidcLoginDeps {
  /** Failure counts shared by every instance: per source address (cap) and per external subject (backoff). */
  throttle: SignInThrottleStore;
}

/**
 * OIDC sign-in: thin wrappers over the login use cases, both under sign-in throttling (the callback's
 * principal, the external subject, is known once the code is exchanged); the session is the only thing they return.
 */
export function createAuthHandler(deps: AuthDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    authRoutes,
    {
      oidcLogin: async (ctx) =>
        refusing(async () => {
          const location = await throttledSignIn({ source: ctx.sourceIp }, 'oidc', deps, contextOf(ctx), () =>
            startOidcLogin(ctx.params.provider, deps, contextOf(ctx)),
          );
          return { status: 302, headers: { location } };
        }),
      oidcCallback: async (ctx) =>
        refusing(async () => {
          const session = await throttledSignIn({ source: ctx.sourceIp }, 'oidc', deps, contextOf(ctx), (gate) =>
            completeOidcLogin(ctx.params.provider, ctx.query, deps, contextOf(ctx), gate),
          );
          return { status: 200, body: session };
        }),
    },
    options,
  );
}

/** The OIDC sign-in function, as Lambda, the local stack and the tests build it; `oidc` is openid-client. */
export function composeAuth(env: AuthEnv, runtime: ApiRuntime & SignInEdges & { oidc: OidcClient }) {
  const { deps, options } = composeSignIn(env, runtime, authRoutes);
  return createAuthHandler({ ...deps, oidc: runtime.oidc }, options);
}
