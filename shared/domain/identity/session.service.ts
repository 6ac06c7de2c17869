import type { RefreshTokenRecord, RefreshTokenStore, TokenSigner, UserRepository } from './identity.port';
import { createHash, randomBytes } from 'node:crypto';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { LoginFailure } from './login-failure';
import type { SignInGate } from './sign-in-throttle';
import type { User } from '#domain/users/user.schema';

/**
 * Quartermaster's own session tokens (docs/architecture.md): issued after LDAP login, server-side OIDC login and
 * break-glass, as short-lived RS256 JWTs verified by the authorizer like any other issuer's, plus an opaque
 * single-use refresh token stored only as a hash.
 */

export interface SessionSettings {
  /** `iss` of session tokens: the API's base URL. */
  issuer: string;
  /** `aud` of session tokens. */
  audience: string;
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export interface SessionDeps {
  signer: TokenSigner;
  refreshTokens: RefreshTokenStore;
  users: UserRepository;
  clock: Clock;
  ids: IdSource;
  settings: SessionSettings;
}

export interface IssuedSession {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  refreshExpiresIn?: number;
}

export const SESSION_TOKEN_USE = 'session';
const REFRESH_PREFIX = 'qmr_';
const REFRESH_FORMAT = /^qmr_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Issues an access token (and, unless `refreshable` is false, the first refresh token of a new family) for an active user. */
export async function issueSession(
  user: User,
  origin: string,
  deps: SessionDeps,
  options: { refreshable?: boolean } = {},
): Promise<IssuedSession> {
  const session = await accessSession(user, origin, deps);
  if (options.refreshable === false) return session;
  const { token, record } = newRefreshToken(user, origin, undefined, deps);
  await deps.refreshTokens.put(record);
  return { ...session, refreshToken: token, refreshExpiresIn: deps.settings.refreshTokenSeconds };
}

async function accessSession(user: User, origin: string, deps: SessionDeps): Promise<IssuedSession> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const { settings } = deps;
  const accessToken = await deps.signer.sign({
    iss: settings.issuer,
    aud: settings.audience,
    sub: user.id,
    token_use: SESSION_TOKEN_USE,
    amr: [origin.split(':')[0] ?? origin],
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + settings.accessTokenSeconds,
    jti: deps.ids.next(),
  });
  return { tokenType: 'Bearer', accessToken, expiresIn: settings.accessTokenSeconds };
}

/** A fresh refresh token and its record: a new family unless `familyId` continues one. */
function newRefreshToken(
  user: User,
  origin: string,
  familyId: string | undefined,
  deps: SessionDeps,
): { token: string; record: RefreshTokenRecord } {
  const token = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = deps.ids.next();
  const now = deps.clock.now();
  return {
    token,
    record: {
      id,
      tokenHash: hashToken(token),
      userId: user.id,
      origin,
      familyId: familyId ?? id,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + deps.settings.refreshTokenSeconds,
    },
  };
}

/**
 * A spent refresh token was presented again: someone holds a copy (RFC 9700 §4.14.2). Its whole family is
 * revoked — the legitimate holder signs in again — and the refusal carries both token ids for the audit.
 */
export class RefreshTokenReuse extends LoginFailure {
  constructor(
    readonly spent: RefreshTokenRecord,
    readonly orgId: string | undefined,
  ) {
    super('refresh_reused');
  }
}

/**
 * Redeems a refresh token for a new pair (rotation): the spent token is marked used (and kept until it
 * expires), the new one continues its family, the user must still exist and be active, and an expired
 * record is refused even if DynamoDB's TTL has not removed it. A spent token revokes its family.
 */
export async function refreshSession(
  refreshToken: string,
  deps: SessionDeps,
  gate?: SignInGate,
): Promise<{ user: User; session: IssuedSession }> {
  if (!REFRESH_FORMAT.test(refreshToken)) throw new LoginFailure('refresh_invalid');
  const tokenHash = hashToken(refreshToken);
  const spent = await deps.refreshTokens.get(tokenHash);
  // The principal of a refresh is the sign-in it continues (the token family), not the user: replaying one
  // stolen token backs off that family only, never the user's other sessions (docs/architecture.md#sign-in-throttling).
  if (spent) await gate?.principal(`session:${spent.familyId}`);
  const now = deps.clock.now();
  if (!spent || spent.expiresAt <= Math.floor(now.getTime() / 1000)) throw new LoginFailure('refresh_invalid');
  if (spent.usedAt) throw await revokeFamilyOf(spent, deps);
  const user = await deps.users.get(spent.userId);
  if (!user || user.status !== 'active') throw new LoginFailure('user_disabled');
  const next = newRefreshToken(user, spent.origin, spent.familyId, deps);
  const outcome = await deps.refreshTokens.rotate(spent, next.record, now.toISOString());
  // Lost a race with another redemption of the same token: that is a replay too.
  if (outcome === 'already_used') throw await revokeFamilyOf((await deps.refreshTokens.get(tokenHash)) ?? spent, deps);
  if (outcome === 'family_revoked') throw new LoginFailure('refresh_revoked');
  const session = await accessSession(user, spent.origin, deps);
  return { user, session: { ...session, refreshToken: next.token, refreshExpiresIn: deps.settings.refreshTokenSeconds } };
}

async function revokeFamilyOf(spent: RefreshTokenRecord, deps: SessionDeps): Promise<RefreshTokenReuse> {
  const now = deps.clock.now();
  // Every token of the family expires within one refresh lifetime from now: the revocation must last that long.
  await deps.refreshTokens.revokeFamily(
    spent.familyId,
    now.toISOString(),
    Math.floor(now.getTime() / 1000) + deps.settings.refreshTokenSeconds,
  );
  const owner = await deps.users.get(spent.userId);
  return new RefreshTokenReuse(spent, owner?.orgId);
}
