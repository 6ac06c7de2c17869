import { jwksSchema, refreshBodySchema } from '#contracts/session.contract';
import { signInResponses } from '#contracts/sign-in-responses';
import type { RouteDeclaration } from '#http/route';

/**
 * Session refresh and the public keys: the routes a signed-in client (and every verifier of our tokens) calls
 * all day. A function of their own, apart from interactive sign-in, so that they never load the LDAP and OIDC
 * libraries or the Secrets Manager client (docs/budgets.md cold start).
 */
export const sessionsRoutes = [
  {
    method: 'POST',
    path: '/v1/auth/refresh',
    operationId: 'refreshSession',
    summary: 'Exchange a refresh token (single use) for a new session',
    access: 'public',
    tags: ['auth'],
    request: { body: refreshBodySchema },
    responses: { ...signInResponses.session, ...signInResponses.invalid, ...signInResponses.refused, ...signInResponses.throttled },
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    operationId: 'getJwks',
    summary: 'Public keys of Quartermaster session tokens',
    access: 'public',
    tags: ['auth'],
    responses: { 200: { description: 'JSON Web Key Set', schema: jwksSchema } },
  },
] as const satisfies readonly RouteDeclaration[];
