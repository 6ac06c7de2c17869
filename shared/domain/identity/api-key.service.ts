import type { ApiKeyRepository } from './identity.port';
import type { ApiKeyRecord } from './api-key.schema';
import { randomBytes } from 'node:crypto';
import { type Permission } from '#domain/authz/permissions';
import { effectivePermissions } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';
import { AppError, notFound, validationFailed } from '#domain/errors/app-error';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { isUsableApiKey } from './api-key-status';
import { hashToken } from './session.service';

/**
 * API keys for automation (docs/architecture.md#identity): `qm_` + 256 random bits, shown once, stored only as a SHA-256
 * hash, scoped to a subset of the owner's permissions, with an expiry, a last-used time and revocation.
 */
export const API_KEY_PREFIX = 'qm_';
const API_KEY_FORMAT = /^qm_[A-Za-z0-9_-]{43}$/;
/** Last-used time is written at most this often per key, so a busy key does not cost a write per request. */
export const LAST_USED_WRITE_INTERVAL_MS = 5 * 60_000;
export const MAX_API_KEY_DAYS = 365;

export interface ApiKeyDeps {
  apiKeys: ApiKeyRepository;
  clock: Clock;
  ids: IdSource;
}

export const isApiKeyShaped = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);

/** Creates a key for the caller. Scopes must be permissions the caller holds now (an API-key caller: within its own scopes). */
export async function createApiKey(
  principal: Principal,
  input: { name: string; scopes: readonly Permission[]; expiresInDays: number },
  deps: ApiKeyDeps,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const held = effectivePermissions(principal);
  const excess = input.scopes.filter((scope) => !held.has(scope));
  if (excess.length > 0) {
    throw new AppError('forbidden', 'An API key cannot carry permissions its owner does not hold', { permissions: excess });
  }
  if (input.scopes.length === 0) throw validationFailed([{ field: 'body.scopes', message: 'At least one permission is required' }]);
  const now = deps.clock.now();
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    schemaVersion: 1,
    id: deps.ids.next(),
    ownerId: principal.userId,
    name: input.name,
    hint: `${key.slice(0, 7)}…`,
    keyHash: hashToken(key),
    scopes: [...new Set(input.scopes)].sort(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
  };
  await deps.apiKeys.create(record);
  return { key, record };
}

/** Revokes one of the caller's keys; idempotent: `false` when it was already revoked (nothing changed). */
export async function revokeApiKey(principal: Principal, id: string, deps: ApiKeyDeps): Promise<boolean> {
  const outcome = await deps.apiKeys.revoke(principal.userId, id, deps.clock.now().toISOString());
  if (outcome === 'not_found') throw notFound('API key');
  return outcome === 'revoked';
}

/**
 * The authorizer's check: well-formed, known, not revoked, not expired. Returns the owner and scopes, and
 * records the last-used time (at most every few minutes).
 */
export async function verifyApiKey(
  credential: string,
  deps: ApiKeyDeps,
): Promise<{ userId: string; scopes: Permission[]; keyHash: string } | undefined> {
  if (!API_KEY_FORMAT.test(credential)) return undefined;
  const keyHash = hashToken(credential);
  const record = await deps.apiKeys.getByHash(keyHash);
  const now = deps.clock.now();
  if (!isUsableApiKey(record, now)) return undefined;
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) >= LAST_USED_WRITE_INTERVAL_MS) {
    await deps.apiKeys.touch(keyHash, now.toISOString());
  }
  return { userId: record.ownerId, scopes: record.scopes, keyHash };
}
