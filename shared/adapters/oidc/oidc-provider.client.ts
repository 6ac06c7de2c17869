import * as client from 'openid-client';
import type { OidcProvider } from '#domain/identity/identity-provider.schema';
import type { OidcClient } from '#domain/identity/identity.port';

export interface OpenIdClientOptions {
  /** A fetch that trusts the local stack's dev CA; deployed functions use the global fetch. */
  customFetch?: client.CustomFetch;
}

/**
 * The server-side authorization code flow with openid-client: discovery (cached per provider settings),
 * PKCE (S256), state and nonce, ID token validation, and a check that the discovered issuer is the one the
 * login state expects.
 */
export class OpenIdClientAdapter implements OidcClient {
  private readonly configs = new Map<string, Promise<client.Configuration>>();

  constructor(private readonly options: OpenIdClientOptions = {}) {}

  private configuration(provider: OidcProvider, clientSecret: string | undefined): Promise<client.Configuration> {
    const key = JSON.stringify([provider.id, provider.issuer, provider.clientId, clientSecret ?? '']);
    let pending = this.configs.get(key);
    if (!pending) {
      const options: client.DiscoveryRequestOptions = this.options.customFetch ? { [client.customFetch]: this.options.customFetch } : {};
      pending = client.discovery(new URL(provider.issuer), provider.clientId, clientSecret, undefined, options).then((config) => {
        if (this.options.customFetch) config[client.customFetch] = this.options.customFetch;
        return config;
      });
      this.configs.set(key, pending);
      pending.catch(() => this.configs.delete(key));
    }
    return pending;
  }

  async authorizationUrl(
    provider: OidcProvider,
    clientSecret: string | undefined,
    params: { state: string; nonce: string; codeChallenge: string; redirectUri: string },
  ): Promise<string> {
    const config = await this.configuration(provider, clientSecret);
    return client.buildAuthorizationUrl(config, {
      redirect_uri: params.redirectUri,
      scope: provider.scopes.join(' '),
      state: params.state,
      nonce: params.nonce,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
    }).href;
  }

  async exchangeCode(
    provider: OidcProvider,
    clientSecret: string | undefined,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string; expectedIssuer: string },
  ): Promise<Record<string, unknown>> {
    const config = await this.configuration(provider, clientSecret);
    if (config.serverMetadata().issuer !== checks.expectedIssuer) throw new Error('issuer changed since the login began');
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    return { ...claims };
  }
}
