/**
 * What decides whether an API key may still be used: kept apart from `api-key.service.ts` so that the
 * access gate of every function can check it without bundling key creation, hashing or its schemas.
 */
export interface ApiKeyStatus {
  ownerId: string;
  /** ISO time. */
  expiresAt: string;
  revokedAt?: string | undefined;
}

/** Known, not revoked, not expired: what both the authorizer and the access gate require of a key. */
export function isUsableApiKey<T extends ApiKeyStatus>(key: T | undefined, now: Date): key is T {
  return key !== undefined && !key.revokedAt && Date.parse(key.expiresAt) > now.getTime();
}
