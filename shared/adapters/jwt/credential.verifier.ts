import { JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { isApiKeyShaped, verifyApiKey, type ApiKeyDeps } from '#domain/identity/api-key.service';
import type { CredentialVerifier, VerifiedIdentity } from '#domain/identity/identity.port';
import { SESSION_TOKEN_USE } from '#domain/identity/session.service';
import { CLOCK_SKEW_SECONDS, enforceTokenRules } from './token-rules';

export interface SessionTokenVerifierOptions {
  /** Our own issuer (the API's base URL) and audience. */
  issuer: string;
  audience: string;
  /** Default `<issuer>/.well-known/jwks.json`, served by the auth function. */
  jwksUri?: string;
  /**
   * Deployed: omitted (aws-jwt-verify's https fetcher reads our public JWKS endpoint). The local stack,
   * whose API is plain http on loopback, passes one that returns the local signer's JWKS directly.
   */
  fetcher?: Fetcher;
}

/** Quartermaster session tokens (after LDAP, server-side OIDC or break-glass login), verified like any JWT. */
export class SessionTokenVerifier implements CredentialVerifier {
  private readonly verifier;

  constructor(private readonly options: SessionTokenVerifierOptions) {
    this.verifier = JwtVerifier.create(
      {
        issuer: options.issuer,
        audience: options.audience,
        jwksUri: options.jwksUri ?? `${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
        graceSeconds: CLOCK_SKEW_SECONDS,
        customJwtCheck: ({ header, payload }) => {
          if (header.alg !== 'RS256') throw new Error('unexpected algorithm');
          enforceTokenRules({ header, payload });
          if (payload.token_use !== SESSION_TOKEN_USE) throw new Error('not a session token');
        },
      },
      {
        jwksCache: new SimpleJwksCache({
          penaltyBox: new SimplePenaltyBox({ waitSeconds: 10 }),
          ...(options.fetcher ? { fetcher: options.fetcher } : {}),
        }),
      },
    );
  }

  async verify(credential: string): Promise<VerifiedIdentity | undefined> {
    try {
      if (decomposeUnverifiedJwt(credential).payload.iss !== this.options.issuer) return undefined;
      const payload = await this.verifier.verify(credential);
      if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
      return { userId: payload.sub, method: 'session', ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}) };
    } catch {
      return undefined;
    }
  }
}

/** `qm_…` API keys: hash lookup, revocation and expiry (the domain's `verifyApiKey`). */
export class ApiKeyVerifier implements CredentialVerifier {
  constructor(private readonly deps: ApiKeyDeps) {}

  async verify(credential: string): Promise<VerifiedIdentity | undefined> {
    if (!isApiKeyShaped(credential)) return undefined;
    const verified = await verifyApiKey(credential, this.deps);
    return verified ? { userId: verified.userId, method: 'api_key', scopes: verified.scopes, apiKeyHash: verified.keyHash } : undefined;
  }
}

/** A fetcher that serves a JWKS from memory (the local stack's own session key), in aws-jwt-verify's shape. */
export function inMemoryJwksFetcher(jwks: () => Promise<unknown>): Fetcher {
  return {
    fetch: async () => {
      const bytes = Buffer.from(JSON.stringify(await jwks()), 'utf8');
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    },
  };
}
