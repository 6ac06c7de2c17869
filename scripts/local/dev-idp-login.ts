import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CLI_CLIENT_ID, CLI_REDIRECT_URI, DEV_IDP_SCOPES } from './dev-idp';

/**
 * A scripted browser for the dev IdP: follows redirects by hand, keeps cookies per host, fills in the
 * login form. Used by `npm run token`, the end-to-end test and the bench to sign in through the real
 * authorization code flow (PKCE) instead of any development shortcut.
 */
interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: URL, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url.origin}`)));
    req.end(options.body);
  });
}

class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  constructor(private readonly ca: string | undefined) {}

  async go(url: URL, method = 'GET', form?: Record<string, string>): Promise<RawResponse> {
    const jar = this.cookies.get(url.host) ?? new Map<string, string>();
    this.cookies.set(url.host, jar);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const body = form ? new URLSearchParams(form).toString() : undefined;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await send(url, { method, headers, ...(body ? { body } : {}), ...(this.ca ? { ca: this.ca } : {}) });
    const setCookie = response.headers['set-cookie'];
    for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  }
}

const location = (response: RawResponse, base: URL): URL | undefined => {
  const value = response.headers.location;
  return typeof value === 'string' ? new URL(value, base) : undefined;
};

/**
 * Starts at `startUrl` (an authorize URL, or our API's `/login` route), signs in at the IdP whose origin is
 * `issuer`, and returns the first redirect that leaves the IdP (the redirect URI with `code` and `state`).
 */
export async function signInThroughIdp(options: {
  startUrl: string;
  issuer: string;
  username: string;
  password: string;
  ca?: string;
}): Promise<URL> {
  const browser = new Browser(options.ca);
  const idpOrigin = new URL(options.issuer).origin;
  let url = new URL(options.startUrl);
  let response = await browser.go(url);
  for (let hop = 0; hop < 12; hop++) {
    const next = location(response, url);
    if (next && next.origin !== idpOrigin && url.origin === idpOrigin) return next;
    if (next) {
      url = next;
      response = await browser.go(url);
      continue;
    }
    if (response.status === 200 && /\/interaction\/[\w-]+$/.test(url.pathname)) {
      const before = response.body;
      response = await browser.go(new URL(`${url.pathname}/login`, url), 'POST', {
        username: options.username,
        password: options.password,
      });
      if (response.status === 200 && response.body.includes('wrong password') && before !== response.body)
        throw new Error('dev IdP: sign-in refused');
      url = new URL(`${url.pathname}/login`, url);
      continue;
    }
    throw new Error(`dev IdP login: unexpected ${response.status} at ${url.pathname}`);
  }
  throw new Error('dev IdP login: too many redirects');
}

export interface DevIdpTokens {
  accessToken: string;
  idToken?: string;
  expiresIn?: number;
}

/** The CLI client's whole flow (authorization code + PKCE): username and password in, tokens out. */
export async function devIdpTokens(options: { issuer: string; username: string; password: string; ca?: string }): Promise<DevIdpTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(`${options.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: CLI_CLIENT_ID,
    response_type: 'code',
    redirect_uri: CLI_REDIRECT_URI,
    scope: DEV_IDP_SCOPES,
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = await signInThroughIdp({ ...options, startUrl: authorize.href });
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state)
    throw new Error(`dev IdP login failed: ${back.searchParams.get('error') ?? 'no code'}`);
  const token = await send(new URL(`${options.issuer}/token`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLI_REDIRECT_URI,
      client_id: CLI_CLIENT_ID,
      code_verifier: verifier,
    }).toString(),
    ...(options.ca ? { ca: options.ca } : {}),
  });
  if (token.status !== 200) throw new Error(`dev IdP token endpoint answered ${token.status}`);
  const json = JSON.parse(token.body) as { access_token?: string; id_token?: string; expires_in?: number };
  if (!json.access_token) throw new Error('dev IdP returned no access token');
  return {
    accessToken: json.access_token,
    ...(json.id_token ? { idToken: json.id_token } : {}),
    ...(json.expires_in ? { expiresIn: json.expires_in } : {}),
  };
}
