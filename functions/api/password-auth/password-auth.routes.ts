import { sessionViewSchema } from '#contracts/session.contract';
import { breakGlassBodySchema, ldapLoginBodySchema } from '#contracts/sign-in.contract';
import { signInResponses } from '#contracts/sign-in-responses';
import type { RouteDeclaration } from '#http/route';

/**
 * Password sign-ins: LDAP / Active Directory and the bootstrap break-glass secret. `public` by nature, each
 * proves identity itself and answers every refusal with the same 401. Apart from OIDC sign-in, so that only
 * this function loads ldapts.
 */
const { refused, invalid, session, throttled } = signInResponses;

export const passwordAuthRoutes = [
  {
    method: 'POST',
    path: '/v1/auth/ldap/login',
    operationId: 'ldapLogin',
    summary: 'Sign in with an LDAP / Active Directory username and password',
    access: 'public',
    tags: ['auth'],
    request: { body: ldapLoginBodySchema },
    responses: { ...session, ...invalid, ...refused, ...throttled },
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
      ...throttled,
    },
  },
] as const satisfies readonly RouteDeclaration[];
