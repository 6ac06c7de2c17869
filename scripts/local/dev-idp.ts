import { generateKeyPairSync, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { DevCertificate } from './tls-cert';

/**
 * LOCAL STACK AND TESTS ONLY: a real OpenID Connect provider (oidc-provider) with demo accounts and a
 * login page, standing in for Cognito / Okta / Entra ID. It speaks https (self-signed certificate) and
 * issues RFC 9068 JWT access tokens for one resource (resource indicators), so Quartermaster verifies
 * them exactly as it verifies a real provider's: JWKS over https, issuer, audience, token type.
 */
export interface DevAccount {
  id: string;
  password: string;
  email: string;
  name: string;
  groups: string[];
}

export interface DevIdpOptions {
  /** 0 = any free port (read `issuer` back). Loopback only. */
  port: number;
  certificate: DevCertificate;
  accounts: readonly DevAccount[];
  /** The resource (access-token audience) the API expects. */
  resource: string;
  /** Confidential client for the API's server-side login: its secret and redirect URIs. */
  webClient?: { clientId: string; clientSecret: string; redirectUris: string[] };
  /**
   * Public browser client of the web console (code + PKCE, no secret; CORS allowed from its redirect origins).
   * It also gets refresh tokens, bound to the IdP session (no `offline_access`) and rotated at each use, so
   * the console renews its session silently, as it does with Cognito.
   */
  consoleClient?: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  /** Access-token lifetime (default 15 minutes); tests shorten it to watch sessions renew. */
  accessTokenSeconds?: number;
}

export interface DevIdp {
  issuer: string;
  /** Public client for CLI logins (`npm run token`), redirecting to a loopback URL nobody listens on. */
  cliClient: { clientId: string; redirectUri: string };
  /** Requests per path, for tests that count JWKS fetches. */
  hits: Map<string, number>;
  /** Mints an arbitrary token with the IdP's signing key: for tests of claims a real flow cannot produce. */
  signingKey: { kid: string; privateKeyPem: string; publicKeyPem: string };
  close(): Promise<void>;
}

export const DEV_IDP_SCOPES = 'openid email profile api';
export const CLI_CLIENT_ID = 'quartermaster-cli';
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const same = (a: string, b: string): boolean => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
};

function loginPage(uid: string, clientId: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Quartermaster dev IdP</title>
<style>body{font:16px system-ui;max-width:22rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.4rem}button{padding:.5rem}.err{color:#b00}</style></head>
<body><h1>Quartermaster dev IdP</h1><p>Signing in to <b>${escapeHtml(clientId)}</b> (local stack only).</p>
${error ? `<p class="err">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="username" autocomplete="username" autofocus required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>
<p><small>Demo users: ada (acme admin, platform admin), lin (acme lead), rae (acme researcher), vic (acme viewer), gus (globex admin); password: <code>&lt;name&gt;-dev-password</code>.</small></p></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const accounts = new Map(options.accounts.map((account) => [account.id, account]));
  const hits = new Map<string, number>();
  const state: { provider?: Provider } = {};

  const server: Server = createServer({ key: options.certificate.key, cert: options.certificate.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    void handle(req, res, path).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('dev IdP error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const provider = state.provider;
    if (!provider) throw new Error('not ready');
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!interaction) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
    if (details.prompt.name === 'consent') {
      // First-party clients only: consent is implied (native clients are always asked, so answer for them).
      const grant = new provider.Grant({
        clientId,
        accountId: String((details as { session?: { accountId?: string } }).session?.accountId ?? ''),
      });
      grant.addOIDCScope('openid email profile');
      grant.addResourceScope(options.resource, 'api');
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (!interaction[2]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(details.uid, clientId));
      return;
    }
    const form = await formBody(req);
    const account = accounts.get(form.get('username') ?? '');
    const password = form.get('password') ?? '';
    if (!account || !same(password, account.password)) {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(loginPage(details.uid, clientId, 'Unknown user or wrong password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  // The preferred port (API port + 1) may be taken: any free port will do, the banner prints the issuer.
  await listen(options.port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || options.port === 0) throw error;
    return listen(0);
  });
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const claimsOf = (account: DevAccount) => ({
    sub: account.id,
    email: account.email,
    email_verified: true,
    name: account.name,
    groups: account.groups,
    // Keycloak's shape, so the nested claim path (`realm_access.roles`) is exercised for real.
    realm_access: { roles: account.groups },
  });

  state.provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLI_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        redirect_uris: [CLI_REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      ...(options.webClient
        ? [
            {
              client_id: options.webClient.clientId,
              client_secret: options.webClient.clientSecret,
              redirect_uris: options.webClient.redirectUris,
              grant_types: ['authorization_code'],
              response_types: ['code'],
            },
          ]
        : []),
      ...(options.consoleClient
        ? [
            {
              client_id: options.consoleClient.clientId,
              token_endpoint_auth_method: 'none',
              application_type: 'web',
              redirect_uris: options.consoleClient.redirectUris,
              post_logout_redirect_uris: options.consoleClient.postLogoutRedirectUris,
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
            },
          ]
        : []),
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups', 'realm_access'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Refresh tokens for clients allowed the grant (the console only), without asking for offline_access: such a
    // token ends with the IdP session (sign-out at the IdP ends it) and is rotated at each use (public client).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(grant: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      // The console revokes its refresh token at sign-out.
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: options.resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: options.accessTokenSeconds ?? 900,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      return account ? { accountId: id, claims: () => claimsOf(account) } : undefined;
    },
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => {
      const account = token.accountId ? accounts.get(token.accountId) : undefined;
      return account ? { groups: account.groups, realm_access: { roles: account.groups }, email: account.email, name: account.name } : {};
    },
    ttl: {
      AccessToken: options.accessTokenSeconds ?? 900,
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      // The console's refresh tokens: no longer than the IdP session they are bound to.
      RefreshToken: 3600,
      AuthorizationCode: 60,
      IdToken: 900,
    },
  });

  return {
    issuer,
    cliClient: { clientId: CLI_CLIENT_ID, redirectUri: CLI_REDIRECT_URI },
    hits,
    signingKey: {
      kid,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
