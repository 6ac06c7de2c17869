import { errorEnvelopeSchema } from '../../../shared/contracts/common.contract';
import {
  breakGlassBodySchema,
  ldapLoginBodySchema,
  oidcCallbackQuerySchema,
  providerParamsSchema,
} from '../../../shared/contracts/sign-in.contract';
import { sessionViewSchema } from '../../../shared/contracts/session.contract';
import type { RouteDeclaration } from '../../../shared/http/route';

/**
 * Interactive sign-in routes (session refresh and the JWKS are the sessions function's). They are `public` by nature (the caller has no token yet); each proves identity itself
 * and answers every refusal with the same 401, whatever the reason.
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
  {
    method: 'POST',
    path: '/v1/auth/ldap/login',
    operationId: 'ldapLogin',
    summary: 'Sign in with an LDAP / Active Directory username and password',
    access: 'public',
    tags: ['auth'],
    request: { body: ldapLoginBodySchema },
    responses: { ...session, ...invalid, ...refused },
  },
  {
    method: 'POST',
    path: '/v1/auth/break-glass',
    operationId: 'breakGlassLogin',
    summary: 'Bootstrap admin sign-in with the generated break-glass secret (disabled by default; every use audited)',
    access: 'public',
    tags: ['auth'],
    request: { body: breakGlassBodySchema },
    responses: {
      200: { description: 'A short platform-admin session (no refresh token)', schema: sessionViewSchema },
      ...invalid,
      ...refused,
    },
  },
] as const satisfies readonly RouteDeclaration[];
