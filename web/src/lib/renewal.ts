/**
 * When to renew a session: a minute before its access token expires, or after 80 % of its lifetime when it
 * lives less than five minutes (so a short-lived token is renewed well before the API refuses it), never
 * sooner than a second from now.
 */
export function renewalDelay(issuedAt: number, expiresAt: number, now: number = Date.now()): number {
  const lifetime = expiresAt - issuedAt;
  const at = lifetime < 300_000 ? issuedAt + lifetime * 0.8 : expiresAt - 60_000;
  return Math.max(1_000, at - now);
}

/** After a failed renewal (the provider unreachable for a moment): try again in 10 s while the token is still good. */
export function retryDelay(expiresAt: number, now: number = Date.now()): number | undefined {
  return expiresAt - now > 15_000 ? 10_000 : undefined;
}
