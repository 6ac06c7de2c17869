import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** Typed from docs/openapi.json (openapi-typescript): no hand-written request or response types. */
export type Schemas = components['schemas'];
export type ApiClient = ReturnType<typeof createClient<paths>>;

/**
 * One client per sign-in. The bearer token is read at each request (a renewed session applies at once,
 * without rebuilding the client); a 401 (the token refused: user disabled, session revoked) signs out.
 */
export function createApiClient(baseUrl: string, token: () => string, onUnauthenticated: () => void): ApiClient {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token()}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthenticated();
      return response;
    },
  };
  client.use(auth);
  return client;
}
