import { errorEnvelopeSchema } from './common.contract';
import { sessionViewSchema } from './session.contract';

/**
 * Sign-in responses (OIDC, LDAP, break-glass, refresh): a session, the one 401 every refusal gets, or 429
 * while sign-in throttling holds the source address or the account (docs/architecture.md#sign-in-throttling). Apart
 * from route-responses.ts so that functions without sign-in routes do not import the session contract.
 */
export const signInResponses = {
  session: { 200: { description: 'A Quartermaster session', schema: sessionViewSchema } },
  invalid: { 400: { description: 'Invalid input', schema: errorEnvelopeSchema } },
  refused: { 401: { description: 'Sign-in refused (the same answer for every reason)', schema: errorEnvelopeSchema } },
  throttled: {
    429: {
      description: 'Too many failed sign-ins from this address or for this account: retry after `Retry-After` seconds',
      schema: errorEnvelopeSchema,
    },
  },
} as const;
