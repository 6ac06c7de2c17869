import { createHash, randomBytes } from 'node:crypto';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import { LoginFailure } from './login.service';
import type { User, UserRepository } from './user.schema';

/**
 * Quartermaster's own session tokens (DESIGN §2): issued after LDAP login, server-side OIDC login and
 * break-glass, as short-lived RS256 JWTs verified by the authorizer like any other issuer's, plus an opaque
 * single-use refresh token stored only as a hash.
 */

/** Signs JWTs with a key the function never sees in plain (KMS) or a local key file; publishes the public half. */
export interface TokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
  /** The JWKS served at `/.well-known/jwks.json`: public keys only. */
  publicJwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  userId: string;
  /** How the session began (`ldap`, `oidc:<provider>`, …), carried across refreshes for the audit trail. */
  origin: string;
  createdAt: string;
  /** Epoch seconds (DynamoDB TTL). */
  expiresAt: number;
}

export interface RefreshTokenStore {
  put(record: RefreshTokenRecord): Promise<void>;
  /** Deletes and returns the record in one conditional write: a token can be redeemed once, anywhere. */
  consume(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
}

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

/** Issues an access token (and, unless `refreshable` is false, a refresh token) for an active user. */
export async function issueSession(
  user: User,
  origin: string,
  deps: SessionDeps,
  options: { refreshable?: boolean } = {},
): Promise<IssuedSession> {
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
  const session: IssuedSession = { tokenType: 'Bearer', accessToken, expiresIn: settings.accessTokenSeconds };
  if (options.refreshable === false) return session;
  const refreshToken = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
  await deps.refreshTokens.put({
    tokenHash: hashToken(refreshToken),
    userId: user.id,
    origin,
    createdAt: deps.clock.now().toISOString(),
    expiresAt: nowSeconds + settings.refreshTokenSeconds,
  });
  return { ...session, refreshToken, refreshExpiresIn: settings.refreshTokenSeconds };
}

/**
 * Redeems a refresh token for a new pair (rotation): the old token is consumed atomically, the user must
 * still exist and be active, and an expired record is refused even if DynamoDB's TTL has not removed it.
 */
export async function refreshSession(refreshToken: string, deps: SessionDeps): Promise<{ user: User; session: IssuedSession }> {
  if (!REFRESH_FORMAT.test(refreshToken)) throw new LoginFailure('refresh_invalid');
  const record = await deps.refreshTokens.consume(hashToken(refreshToken));
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  if (!record || record.expiresAt <= nowSeconds) throw new LoginFailure('refresh_invalid');
  const user = await deps.users.get(record.userId);
  if (!user || user.status !== 'active') throw new LoginFailure('user_disabled');
  return { user, session: await issueSession(user, record.origin, deps) };
}
