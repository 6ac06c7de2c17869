import { oidcCallbackQuerySchema, providerParamsSchema } from '#contracts/sign-in.contract';
import { signInResponses } from '#contracts/sign-in-responses';
import type { RouteDeclaration } from '#http/route';

/**
 * Server-side OIDC sign-in. Like every sign-in route it is `public` by nature (the caller has no token yet),
 * proves identity itself and answers every refusal with the same 401, whatever the reason. Password
 * sign-ins (LDAP, break-glass) are another function's, so OIDC sign-in never loads ldapts.
 */
const { refused, invalid, session, throttled } = signInResponses;

export const authRoutes = [
  {
    method: 'GET',
    path: '/v1/auth/oidc/{provider}/login',
    operationId: 'oidcLogin',
    summary: 'Begin a server-side OIDC login: redirects to the provider (state, nonce and PKCE kept for 10 minutes)',
    access: 'public',
    tags: ['auth'],
    request: { params: providerParamsSchema },
    responses: { 302: { description: 'Redirect to the identity provider' }, ...invalid, ...refused, ...throttled },
  },
  {
    method: 'GET',
    path: '/v1/auth/oidc/{provider}/callback',
    operationId: 'oidcCallback',
    summary: 'Finish a server-side OIDC login: the provider redirects here; answers with a session',
    access: 'public',
    tags: ['auth'],
    request: { params: providerParamsSchema, query: oidcCallbackQuerySchema },
    responses: { ...session, ...invalid, ...refused, ...throttled },
  },
] as const satisfies readonly RouteDeclaration[];
