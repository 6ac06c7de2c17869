import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';

/**
 * The rules every JWT we accept must meet on top of what aws-jwt-verify checks (signature, `alg`
 * against the JWK, issuer, audience, and `exp`/`nbf` *when present*). They apply alike to access
 * tokens of Cognito, of every OIDC provider and to Quartermaster's own session tokens; API keys are
 * not JWTs and carry their own expiry. Documented in docs/architecture.md ("Token rules").
 */

/**
 * Clock skew tolerated between the issuer and us, in seconds, in both directions: a token is accepted
 * until `exp` + skew, from `nbf` − skew, and its `iat` may be at most this far ahead of our clock.
 * Passed to aws-jwt-verify as `graceSeconds` so that `exp`, `nbf` and `iat` share one figure.
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Header parameters named in `crit` that we understand and process (RFC 7515 §4.1.11): none. A token
 * whose `crit` lists anything at all is therefore refused, as the RFC requires of a recipient that
 * does not implement the listed extensions (and RFC 8725 §3.1 repeats).
 */
const UNDERSTOOD_CRITICAL_PARAMETERS: ReadonlySet<string> = new Set();

/** Throws (so aws-jwt-verify's `customJwtCheck` refuses the token) unless the token meets the rules above. */
export function enforceTokenRules({ header, payload }: { header: JwtHeader; payload: JwtPayload }, nowSeconds = Date.now() / 1000): void {
  if (header.crit !== undefined) {
    const listed = Array.isArray(header.crit) ? header.crit : [header.crit];
    // An empty or malformed `crit` is itself invalid (RFC 7515: a non-empty array of names).
    if (listed.length === 0 || listed.some((name) => typeof name !== 'string' || !UNDERSTOOD_CRITICAL_PARAMETERS.has(name))) {
      throw new Error('crit names an extension this verifier does not understand');
    }
  }
  // A token without `exp` would never expire; aws-jwt-verify accepts one, we do not.
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new Error('token has no exp');
  // aws-jwt-verify checks `nbf` (with the same grace); `iat` in the future is ours to refuse.
  if (typeof payload.iat === 'number' && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new Error('token issued in the future');
}
