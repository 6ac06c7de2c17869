import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** base64url(JSON) of a JWT header or payload. */
export const encodeSegment = (value: Record<string, unknown>): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** `header.payload`, the bytes an RS256 signature covers. */
export function signingInput(kid: string, claims: Record<string, unknown>): string {
  return `${encodeSegment({ alg: 'RS256', typ: 'JWT', kid })}.${encodeSegment(claims)}`;
}

/** A public RSA key as a JWK for `/.well-known/jwks.json`, with a stable `kid` (the RFC 7638 thumbprint). */
export function publicJwk(key: KeyObject): Record<string, unknown> {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig', kid: thumbprint };
}
