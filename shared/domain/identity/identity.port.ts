import { type ApiKeyRecord } from './api-key.schema';
import type { ApiKeyStatus } from './api-key-status';
import type { User } from '#domain/users/user.schema';
import type { IdentityProvider, LdapProvider, OidcProvider } from './identity-provider.schema';
import type { ExternalProfile } from './group-mapping';
import type { Permission } from '#domain/authz/permissions';
import type { Principal } from '#domain/authz/principal';
/**
 * Links an account at an identity provider to a Quartermaster user (docs/architecture.md#identity): `issuer#sub` for
 * OIDC/Cognito, the entry's DN for LDAP, always qualified by the provider id, so the same `sub` at two
 * providers can never name the same user by accident.
 */
export interface ExternalIdentityLink {
  providerId: string;
  subject: string;
  userId: string;
  createdAt: string;
}

export interface ExternalIdentityRepository {
  get(providerId: string, subject: string): Promise<ExternalIdentityLink | undefined>;
  /** Creates the link unless one exists; returns the link that is stored afterwards (ours or the winner's). */
  link(link: ExternalIdentityLink): Promise<ExternalIdentityLink>;
}

/**
 * "First user becomes admin" (opt-in): exactly one caller ever wins the claim, whichever Lambda instance
 * it runs on (a conditional write).
 */
export interface BootstrapRegistry {
  claimFirstAdmin(userId: string, at: string): Promise<boolean>;
  /** The user who won the claim, if anyone did. */
  firstAdmin(): Promise<string | undefined>;
}

export interface ApiKeyRepository {
  create(record: ApiKeyRecord): Promise<void>;
  getByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  listByOwner(ownerId: string): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked if it belongs to `ownerId` and is not revoked yet. */
  revoke(ownerId: string, id: string, at: string): Promise<RevokeOutcome>;
  touch(keyHash: string, at: string): Promise<void>;
}

/** A verified claim about who is calling, before (or, when `user` is set, after) the user record is read. */
export interface VerifiedIdentity {
  userId: string;
  method: Principal['authMethod'];
  /** API keys: the key's scopes (effective permissions = owner's ∩ scopes). */
  scopes?: Permission[];
  /** API keys: the key's SHA-256, for the access gate's check of revocation at every request. */
  apiKeyHash?: string;
  /** The user record, when the verifier already read it (an OIDC login that just synced the user). */
  user?: User;
  /** Epoch seconds after which the credential is no longer valid; bounds how long a result may be cached. */
  expiresAt?: number;
}
/** Verifies one kind of credential. `undefined` = not this verifier's kind, or not valid. */
export interface CredentialVerifier {
  verify(credential: string): Promise<VerifiedIdentity | undefined>;
}

export interface IdentityProviderRepository {
  get(id: string): Promise<IdentityProvider | undefined>;
  list(): Promise<IdentityProvider[]>;
  /** Create (`expectNew`) or replace. Create fails with a conflict when the id is taken. */
  put(provider: IdentityProvider, options: { expectNew: boolean }): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** LDAP / Active Directory (ldapts in production): search with the service account, then bind as the user. */
export interface LdapDirectory {
  /** The user's profile when `password` is right; `undefined` for an unknown user or a wrong password alike. */
  authenticate(provider: LdapProvider, bindPassword: string, username: string, password: string): Promise<ExternalProfile | undefined>;
}

export interface LoginState {
  /** SHA-256 of the `state` parameter: the value itself only travels in the browser's URL. */
  stateHash: string;
  providerId: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  expectedIssuer: string;
  createdAt: string;
  /** Epoch seconds (DynamoDB TTL); also checked on read, since TTL deletion is lazy. */
  expiresAt: number;
}
export interface LoginStateStore {
  put(state: LoginState): Promise<void>;
  /** Deletes and returns the record in one conditional write; `undefined` when absent (unknown or used). */
  consume(stateHash: string): Promise<LoginState | undefined>;
}
/** The relying-party side of the authorization code flow (openid-client in production). */
export interface OidcClient {
  authorizationUrl(
    provider: OidcProvider,
    clientSecret: string | undefined,
    params: { state: string; nonce: string; codeChallenge: string; redirectUri: string },
  ): Promise<string>;
  /** Exchanges the code; validates issuer, state, nonce, PKCE and the ID token. Returns the ID token's claims. */
  exchangeCode(
    provider: OidcProvider,
    clientSecret: string | undefined,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string; expectedIssuer: string },
  ): Promise<Record<string, unknown>>;
}

/** Signs JWTs with a key the function never sees in plain (KMS) or a local key file; publishes the public half. */
export interface TokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
  /** The JWKS served at `/.well-known/jwks.json`: public keys only. */
  publicJwks(): Promise<{ keys: Record<string, unknown>[] }>;
}
export interface RefreshTokenRecord {
  /** Public id of this token (never the token itself): names it in the audit trail. */
  id: string;
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  userId: string;
  /** How the session began (`ldap`, `oidc:<provider>`, …), carried across refreshes for the audit trail. */
  origin: string;
  /**
   * Every refresh token rotated from one sign-in shares the id of that sign-in's first token: replaying a
   * spent one revokes them all (RFC 9700 §4.14.2).
   */
  familyId: string;
  createdAt: string;
  /** Epoch seconds (DynamoDB TTL). A spent token is kept until then, so that a replay is recognized. */
  expiresAt: number;
  /** When it was redeemed, and the id of the token issued in exchange. */
  usedAt?: string | undefined;
  replacedBy?: string | undefined;
}
export interface RefreshTokenStore {
  /** Stores the first token of a family (at sign-in). */
  put(record: RefreshTokenRecord): Promise<void>;
  get(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * In one atomic write: marks `spent` used and replaced by `next` (only if nobody used it first), checks
   * that its family is not revoked, and stores `next`. A token can be redeemed once, anywhere.
   */
  rotate(spent: RefreshTokenRecord, next: RefreshTokenRecord, usedAt: string): Promise<RotationOutcome>;
  /** No token of the family can be redeemed any more; kept until `expiresAt` (epoch seconds), when all of them have expired. */
  revokeFamily(familyId: string, revokedAt: string, expiresAt: number): Promise<void>;
}

export interface FailureCount {
  failures: number;
  /** Epoch seconds. */
  lastFailureAt: number;
}
export interface SignInThrottleStore {
  /** The current counts of these keys (absent: none). */
  read(keys: readonly string[]): Promise<Map<string, FailureCount>>;
  /** One more failure; a count older than `windowSeconds` starts again at 1. */
  recordFailure(key: string, nowSeconds: number, windowSeconds: number): Promise<void>;
  clear(key: string): Promise<void>;
}

export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  /** Creates the user unless the id is taken; `false` when it was. */
  create(user: User): Promise<boolean>;
  /**
   * Replaces the record if it is still at `expectedVersion` (its `authzVersion`, 0 = never set); false when
   * someone changed it since it was read (login-time sync of level, org and teams racing an admin's change).
   */
  save(next: User, expectedVersion: number): Promise<boolean>;
}

export type RevokeOutcome = 'revoked' | 'already_revoked' | 'not_found';

export type RotationOutcome = 'rotated' | 'already_used' | 'family_revoked';

/** The API key a principal authenticated with, read as stored now (strongly consistent). */
export interface ApiKeyStatusSource {
  statusOf(keyHash: string): Promise<ApiKeyStatus | undefined>;
}
