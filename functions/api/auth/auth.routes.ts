import { errorEnvelopeSchema } from '../../../shared/contracts/common.contract';
import { oidcCallbackQuerySchema, providerParamsSchema } from '../../../shared/contracts/sign-in.contract';
import { sessionViewSchema } from '../../../shared/contracts/session.contract';
import type { RouteDeclaration } from '../../../shared/http/route';

/**
 * Server-side OIDC sign-in. Like every sign-in route it is `public` by nature (the caller has no token yet),
 * proves identity itself and answers every refusal with the same 401, whatever the reason. Password
 * sign-ins (LDAP, break-glass) are another function's, so OIDC sign-in never loads ldapts.
 */
const refused = { 401: { description: 'Sign-in refused (the same answer for every reason)', schema: errorEnvelopeSchema } } as const;
const invalid = { 400: { description: 'Invalid input', schema: errorEnvelopeSchema } } as const;
const session = { 200: { description: 'A Quartermaster session', schema: sessionViewSchema } } as const;

export const authRoutes = [
  {
    method: 'GET',
    path: '/v1/auth/oidc/{provider}/login',
    operationId: 'oidcLogin',
    summary: 'Begin a server-side OIDC login: redirects to the provider (state, nonce and PKCE kept for 10 minutes)',
    access: 'public',
    tags: ['auth'],
    request: { params: providerParamsSchema },
    responses: { 302: { description: 'Redirect to the identity provider' }, ...invalid, ...refused },
  },
  {
    method: 'GET',
    path: '/v1/auth/oidc/{provider}/callback',
    operationId: 'oidcCallback',
    summary: 'Finish a server-side OIDC login: the provider redirects here; answers with a session',
    access: 'public',
    tags: ['auth'],
    request: { params: providerParamsSchema, query: oidcCallbackQuerySchema },
    responses: { ...session, ...invalid, ...refused },
  },
] as const satisfies readonly RouteDeclaration[];
