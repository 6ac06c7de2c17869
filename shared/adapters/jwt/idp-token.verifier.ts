import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { CredentialVerifier, VerifiedIdentity } from '#domain/identity/identity.port';
import { claimAt, groupsFromClaim, type ExternalProfile } from '#domain/identity/group-mapping';
import type { IdentityProvider, OidcProvider, TokenProvider } from '#domain/identity/identity-provider.schema';
import type { User } from '#domain/users/user.schema';
import { CLOCK_SKEW_SECONDS, enforceTokenRules } from './token-rules';

/** RFC 9068 access-token header types. */
const AT_JWT_TYPES: ReadonlySet<string> = new Set(['at+jwt', 'application/at+jwt']);
/** Claims only an ID token carries: their presence means "this is not an access token". */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

export interface IdpTokenVerifierOptions {
  /** Enabled providers, cached by the caller (`CachedIdentityProviders`). */
  providers: { list(): Promise<IdentityProvider[]> };
  /** Turns a verified profile into a user: the login service (mapping, JIT provisioning, disabled check). */
  signIn: (provider: IdentityProvider, profile: ExternalProfile) => Promise<User>;
  /** HTTPS fetcher for discovery and JWKS; the local stack passes one that trusts its dev CA. */
  fetcher?: Fetcher;
  /** After a JWKS fetch for an unknown `kid`, further fetches of that JWKS wait this long (default 10 s). */
  jwksRefetchWaitSeconds?: number;
}

interface Entry {
  fingerprint: string;
  verify: (token: string) => Promise<JwtPayload>;
}

/**
 * The access-token checks aws-jwt-verify leaves to us: the token rules every JWT meets (`exp` required,
 * no `crit`, `iat` not ahead), RFC 9068 type or `token_use`, never an ID token, client ids.
 */
export function accessTokenCheck(provider: OidcProvider) {
  return ({ header, payload }: { header: JwtHeader; payload: JwtPayload }): void => {
    enforceTokenRules({ header, payload });
    if (ID_TOKEN_CLAIMS.some((claim) => claim in payload) || payload.token_use === 'id')
      throw new Error('ID token where an access token is expected');
    if (provider.accessTokenCheck === 'rfc9068' && !AT_JWT_TYPES.has(typeof header.typ === 'string' ? header.typ.toLowerCase() : '')) {
      throw new Error('not an RFC 9068 access token');
    }
    if (provider.accessTokenCheck === 'claim' && payload.token_use !== 'access') throw new Error('token_use is not access');
    if (provider.allowedClientIds.length > 0) {
      const client = payload.client_id ?? payload.azp;
      if (typeof client !== 'string' || ![provider.clientId, ...provider.allowedClientIds].includes(client)) {
        throw new Error('token issued to another client');
      }
    }
  };
}

/**
 * Verifies access tokens from Cognito and every enabled OIDC provider with aws-jwt-verify (signature
 * against the issuer's JWKS, `exp`/`nbf` within {@link CLOCK_SKEW_SECONDS}, issuer, audience or client
 * id, token use) plus the token rules it leaves to the caller (`token-rules.ts`). The token's
 * unverified `iss` only selects which configuration to verify against; it is then checked for real.
 * JWKS are cached per URI; an unknown `kid` triggers at most one refetch per `jwksRefetchWaitSeconds`.
 */
export class IdpTokenVerifier implements CredentialVerifier {
  private readonly jwksCache: SimpleJwksCache;
  private readonly fetcher: Fetcher | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly discovered = new Map<string, Promise<string>>();

  constructor(private readonly options: IdpTokenVerifierOptions) {
    this.fetcher = options.fetcher;
    this.jwksCache = new SimpleJwksCache({
      penaltyBox: new SimplePenaltyBox({ waitSeconds: options.jwksRefetchWaitSeconds ?? 10 }),
      ...(options.fetcher ? { fetcher: options.fetcher } : {}),
    });
  }

  async verify(credential: string): Promise<VerifiedIdentity | undefined> {
    let issuer: unknown;
    try {
      issuer = decomposeUnverifiedJwt(credential).payload.iss;
    } catch {
      return undefined;
    }
    if (typeof issuer !== 'string') return undefined;
    const candidates = (await this.options.providers.list()).filter(
      (p): p is TokenProvider => p.enabled && (p.type === 'oidc' || p.type === 'cognito') && issuerOf(p) === issuer,
    );
    // Two configurations may share an issuer (two APIs, two audiences): the token must satisfy one of them.
    for (const provider of candidates) {
      let payload: JwtPayload;
      try {
        payload = await (await this.entryFor(provider)).verify(credential);
      } catch {
        continue;
      }
      const user = await this.options.signIn(provider, profileOf(provider, payload));
      return {
        userId: user.id,
        user,
        method: provider.type,
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
      };
    }
    return undefined;
  }

  private async entryFor(provider: TokenProvider): Promise<Entry> {
    const fingerprint = JSON.stringify(
      provider.type === 'oidc'
        ? [provider.issuer, provider.audience, provider.clientId, provider.allowedClientIds, provider.accessTokenCheck, provider.jwksUri]
        : [provider.userPoolId, provider.clientIds],
    );
    const known = this.entries.get(provider.id);
    if (known?.fingerprint === fingerprint) return known;
    let verify: Entry['verify'];
    if (provider.type === 'cognito') {
      const verifier = CognitoJwtVerifier.create(
        {
          userPoolId: provider.userPoolId,
          clientId: provider.clientIds,
          tokenUse: 'access',
          graceSeconds: CLOCK_SKEW_SECONDS,
          customJwtCheck: enforceTokenRules,
        },
        { jwksCache: this.jwksCache },
      );
      verify = (token) => verifier.verify(token);
    } else {
      const jwksUri = provider.jwksUri ?? (await this.discoverJwksUri(provider.issuer));
      const verifier = JwtVerifier.create(
        {
          issuer: provider.issuer,
          audience: provider.audience ?? provider.clientId,
          jwksUri,
          graceSeconds: CLOCK_SKEW_SECONDS,
          customJwtCheck: accessTokenCheck(provider),
        },
        { jwksCache: this.jwksCache },
      );
      verify = (token) => verifier.verify(token);
    }
    const entry = { fingerprint, verify };
    this.entries.set(provider.id, entry);
    return entry;
  }

  /** `jwks_uri` from the issuer's discovery document, which must name the same issuer. */
  private discoverJwksUri(issuer: string): Promise<string> {
    let pending = this.discovered.get(issuer);
    if (!pending) {
      const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const fetcher = this.fetcher ?? this.jwksCache.fetcher;
      pending = fetcher.fetch(url).then((body) => {
        const document = JSON.parse(Buffer.from(body).toString('utf8')) as { issuer?: unknown; jwks_uri?: unknown };
        if (document.issuer !== issuer || typeof document.jwks_uri !== 'string' || !document.jwks_uri.startsWith('https://')) {
          throw new Error('discovery document does not match the issuer');
        }
        return document.jwks_uri;
      });
      this.discovered.set(issuer, pending);
      pending.catch(() => this.discovered.delete(issuer));
    }
    return pending;
  }
}

function issuerOf(provider: TokenProvider): string {
  if (provider.type === 'oidc') return provider.issuer;
  const region = provider.userPoolId.split('_')[0] ?? '';
  return `https://cognito-idp.${region}.amazonaws.com/${provider.userPoolId}`;
}

function profileOf(provider: TokenProvider, payload: JwtPayload): ExternalProfile {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.length > 0 && value.length <= 320 ? value : undefined;
  const emailClaim = provider.type === 'oidc' ? provider.emailClaim : 'email';
  const nameClaim = provider.type === 'oidc' ? provider.nameClaim : 'name';
  return {
    providerId: provider.id,
    subject: `${String(payload.iss)}#${String(payload.sub)}`,
    email: text(claimAt(payload, emailClaim)),
    displayName: text(claimAt(payload, nameClaim)) ?? text(payload.username),
    groups: groupsFromClaim(claimAt(payload, provider.groupsClaim)),
  };
}
