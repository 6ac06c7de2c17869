import { completeOidcLogin, startOidcLogin, type OidcLoginDeps } from '#domain/identity/oidc-login.service';
import { createApiHandler, type ApiHandlerOptions } from '#http/api-handler';
import { authRoutes } from './auth.routes';
import { contextOf, refusing } from '#functions/api/sign-in-refusal';
import type { ApiRuntime } from '#functions/api/api-access';
import { composeSignIn, type SignInEdges } from '#functions/api/sign-in-composition';
import type { OidcClient } from '#domain/identity/oidc-login.service';
import type { AuthEnv } from './auth.env';

export type AuthDeps = OidcLoginDeps;

/** OIDC sign-in: thin wrappers over the login use cases; the session is the only thing they return. */
export function createAuthHandler(deps: AuthDeps, options: ApiHandlerOptions = {}) {
  return createApiHandler(
    authRoutes,
    {
      oidcLogin: async (ctx) =>
        refusing(async () => ({ status: 302, headers: { location: await startOidcLogin(ctx.params.provider, deps, contextOf(ctx)) } })),
      oidcCallback: async (ctx) =>
        refusing(async () => ({ status: 200, body: await completeOidcLogin(ctx.params.provider, ctx.query, deps, contextOf(ctx)) })),
    },
    options,
  );
}

/** The OIDC sign-in function, as Lambda, the local stack and the tests build it; `oidc` is openid-client. */
export function composeAuth(env: AuthEnv, runtime: ApiRuntime & SignInEdges & { oidc: OidcClient }) {
  const { deps, options } = composeSignIn(env, runtime);
  return createAuthHandler({ ...deps, oidc: runtime.oidc }, options);
}
