/**
 * The web console's Content-Security-Policy: one definition for CloudFront (`lib/stacks/web-stack.ts`) and
 * the local console server (`scripts/local/console-server.ts`), so the policy tested locally is the one
 * deployed. The console loads only its own files and talks only to the API and its identity providers'
 * origins (discovery, JWKS, token and revocation endpoints). It needs no frame: sessions renew with the
 * provider's refresh token through the token endpoint (no hidden `prompt=none` iframe), so `frame-src` is
 * `'none'`, and nothing may frame the console. Sign-in and sign-out are top-level navigations, which the
 * CSP does not govern; the LDAP form posts with fetch (`connect-src`), so `form-action` stays `'self'`.
 * Cloudscape sets element styles from script, hence `'unsafe-inline'` for styles only.
 */
export function consoleCsp(connectOrigins: readonly string[]): string {
  const connect = ["'self'", ...new Set(connectOrigins)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}
