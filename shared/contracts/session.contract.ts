import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';

/*
 * Sessions: what sign-in returns, the refresh request and the public keys. Kept apart from the sign-in and
 * identity-provider contracts: zod builds every schema of a module at import, and the sessions function
 * (refresh, JWKS) needs only these.
 */

/** Sign-in results: a Quartermaster session (short-lived access token + single-use refresh token). */
export const sessionViewSchema = lazySchema(() =>
  z
    .object({
      tokenType: z.literal('Bearer'),
      accessToken: z.string(),
      expiresIn: z.number().check(z.int(), z.describe('Seconds until the access token expires')),
      refreshToken: z.optional(z.string()).check(z.describe('Single use: POST it to /v1/auth/refresh for a new pair')),
      refreshExpiresIn: z.optional(z.number().check(z.int())),
    })
    .register(z.globalRegistry, { id: 'Session' }),
);

export const refreshBodySchema = z
  .object({ refreshToken: z.string().check(z.minLength(1), z.maxLength(256)) })
  .register(z.globalRegistry, { id: 'RefreshRequest' });
export const jwksSchema = lazySchema(() =>
  z
    .object({
      keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), n: z.string(), e: z.string() })),
    })
    .register(z.globalRegistry, { id: 'Jwks' }),
);
