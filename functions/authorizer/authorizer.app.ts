import { createHash } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Principal } from '#domain/authz/principal';
import { authenticate, bearerCredential } from '#domain/identity/authenticate.service';
import type { CredentialVerifier, UserRepository } from '#domain/identity/identity.port';
import { isDependencyOutage } from '#adapters/runtime/dependency-outage';
import { outageAuthorizerContext, toAuthorizerContext } from '#http/principal-context';

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<{ principal: string; unavailable?: true }>;

export interface AuthorizerDeps {
  verifiers: readonly CredentialVerifier[];
  users: UserRepository;
  /**
   * How long a verified principal is reused in memory (default 30 s), on top of API Gateway's own cache.
   * Never past the credential's expiry; a disabled or demoted user takes effect within this window.
   */
  resultCacheMs?: number;
  /** Most entries kept; the oldest go first (default 2,000). */
  resultCacheSize?: number;
  now?: () => number;
  /**
   * Called when a verifier throws. A dependency outage (DynamoDB down or stalled) lets the request through
   * without a principal and with the outage marker, so the route answers 503 + Retry-After instead of a
   * 401 that would sign the user out; anything else is denied.
   */
  onError?: (error: unknown) => void;
}

const DENY: AuthorizerResult = { isAuthorized: false, context: { principal: '' } };

/**
 * The Lambda authorizer (HTTP API, simple responses). It verifies the bearer credential (API key, our
 * session JWT, an IdP access token) and hands the principal to the route as JSON under `principal`
 * (simple-response context values must be flat). Anything unverifiable is a plain deny: the reason is
 * never echoed to the caller. Verified results are cached by the credential's SHA-256, never the
 * credential itself.
 */
export function createAuthorizer(deps: AuthorizerDeps) {
  const ttlMs = deps.resultCacheMs ?? 30_000;
  const maxEntries = deps.resultCacheSize ?? 2_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; context: { principal: string }; until: number }>();

  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> => {
    const credential = bearerCredential(event.headers?.authorization ?? event.headers?.Authorization);
    if (!credential) return DENY;
    const key = createHash('sha256').update(credential).digest('base64url');
    const cached = cache.get(key);
    if (cached && cached.until > now()) return { isAuthorized: true, context: cached.context };
    if (cached) cache.delete(key);
    try {
      const result = await authenticate(credential, deps);
      if (!result) return DENY;
      const context = toAuthorizerContext(result.principal) as { principal: string };
      const until = Math.min(now() + ttlMs, result.expiresAt !== undefined ? result.expiresAt * 1000 : Infinity);
      if (ttlMs > 0 && until > now()) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
        cache.set(key, { principal: result.principal, context, until });
      }
      return { isAuthorized: true, context };
    } catch (error) {
      deps.onError?.(error);
      return isDependencyOutage(error) ? { isAuthorized: true, context: outageAuthorizerContext() } : DENY;
    }
  };
}
