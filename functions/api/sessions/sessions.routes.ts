import { errorEnvelopeSchema } from '../../../shared/contracts/common.contract';
import { jwksSchema, refreshBodySchema, sessionViewSchema } from '../../../shared/contracts/session.contract';
import type { RouteDeclaration } from '../../../shared/http/route';

/**
 * Session refresh and the public keys: the routes a signed-in client (and every verifier of our tokens) calls
 * all day. A function of their own, apart from interactive sign-in, so that they never load the LDAP and OIDC
 * libraries or the Secrets Manager client (DESIGN §6 cold start).
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
    responses: {
      200: { description: 'A Quartermaster session', schema: sessionViewSchema },
      400: { description: 'Invalid input', schema: errorEnvelopeSchema },
      401: { description: 'Sign-in refused (the same answer for every reason)', schema: errorEnvelopeSchema },
    },
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
