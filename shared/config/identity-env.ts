import * as z from 'zod/mini';

const flag = z._default(z.enum(['true', 'false']), 'false');

/** What the authorizer and the sign-in function share about Quartermaster session tokens. */
export const sessionEnvSchema = z.object({
  /** Base URL of the API: `iss` of session tokens, and where `/.well-known/jwks.json` is served. */
  QM_API_BASE_URL: z.url(),
  /** `aud` of session tokens. */
  QM_SESSION_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'quartermaster'),
  /** Opt-in (docs/architecture.md#identity): the first user provisioned just in time becomes a platform admin. */
  QM_FIRST_USER_ADMIN: flag,
});

/** How session tokens are signed and how long they live: the sign-in and the sessions functions share it. */
export const sessionTokenEnvSchema = z.object({
  /** Asymmetric KMS key (RSA_2048, SIGN_VERIFY) that signs session tokens. */
  QM_SESSION_KMS_KEY_ID: z.string().check(z.minLength(1)),
  /** Session access-token lifetime (seconds): short, refresh for more. */
  QM_ACCESS_TOKEN_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(3600)), 900),
  /** Refresh-token lifetime (seconds). */
  QM_REFRESH_TOKEN_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(300), z.lte(30 * 86_400)), 43_200),
});

/** The sign-in function's own settings, on top of the session-token ones. */
export const loginEnvSchema = z.extend(sessionTokenEnvSchema, {
  /** Break-glass admin login: off unless explicitly enabled. */
  QM_BREAK_GLASS_ENABLED: flag,
  /** Secrets Manager secret holding the generated break-glass secret. */
  QM_BREAK_GLASS_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
});

/**
 * The stage's Secrets Manager name prefix: where the admin APIs write the secrets they store, and the one
 * Secrets Manager store every function builds (sign-in reads secrets by full reference under it).
 */
export const secretsEnvSchema = z.object({
  QM_SECRET_NAME_PREFIX: z._default(z.string().check(z.regex(/^[A-Za-z0-9/_+=.@-]+\/$/, 'a name prefix ending in /')), 'quartermaster/'),
});
