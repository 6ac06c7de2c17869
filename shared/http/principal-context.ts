import { principalSchema, type Principal } from '#domain/authz/principal';

/**
 * How the verified principal travels from the Lambda authorizer to the route functions.
 *
 * An HTTP API "simple response" authorizer returns `{ isAuthorized, context }`, and API Gateway hands
 * `context` to the integration as `event.requestContext.authorizer.lambda`. Context values are meant to be
 * flat (string, number, boolean), so the whole principal is JSON-encoded under one key, `principal`, and
 * re-validated with `principalSchema` on the way in: the route never trusts a shape it did not check.
 */
export const PRINCIPAL_CONTEXT_KEY = 'principal';

export type AuthorizerContext = Record<string, string | number | boolean>;

/** For the authorizer: the `context` of its simple response. */
export function toAuthorizerContext(principal: Principal): AuthorizerContext {
  return { [PRINCIPAL_CONTEXT_KEY]: JSON.stringify(principalSchema.parse(principal)) };
}

/**
 * For the route functions: the principal from `requestContext.authorizer.lambda`, or `undefined` when it
 * is missing or malformed (which the caller turns into a 401). A non-string value is accepted too, so a
 * context that arrives already decoded still works, but it is validated just the same.
 */
export function principalFromAuthorizerContext(lambdaContext: unknown): Principal | undefined {
  if (typeof lambdaContext !== 'object' || lambdaContext === null) return undefined;
  const raw: unknown = (lambdaContext as Record<string, unknown>)[PRINCIPAL_CONTEXT_KEY];
  let candidate: unknown = raw;
  if (typeof raw === 'string') {
    try {
      candidate = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  const result = principalSchema.safeParse(candidate);
  return result.success ? result.data : undefined;
}

/**
 * The authorizer could not decide because a dependency (DynamoDB, an IdP's JWKS) did not answer. API
 * Gateway HTTP APIs cannot turn an authorizer's answer into a 503 of our own (a deny is a 401/403, an error
 * a bare 500), so the authorizer lets the request through *without a principal* and with this marker, and
 * the route function answers `503 unavailable` with `Retry-After` before doing anything else. Nothing is
 * authorized by it: a request without a principal never passes the bundle's authorization step.
 */
export const OUTAGE_CONTEXT_KEY = 'unavailable';

/** For the authorizer: the `context` of an outage answer (no principal). */
export function outageAuthorizerContext(): { principal: ''; unavailable: true } {
  return { [PRINCIPAL_CONTEXT_KEY]: '', [OUTAGE_CONTEXT_KEY]: true };
}

/** For the route functions: did the authorizer report an outage instead of a principal? */
export function isOutageAuthorizerContext(lambdaContext: unknown): boolean {
  if (typeof lambdaContext !== 'object' || lambdaContext === null) return false;
  const marker: unknown = (lambdaContext as Record<string, unknown>)[OUTAGE_CONTEXT_KEY];
  return marker === true || marker === 'true';
}
