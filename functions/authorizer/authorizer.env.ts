import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';
import { sessionEnvSchema } from '#config/identity-env';

/** The authorizer verifies tokens, provisions users just in time and emits `auth.login_failure`. */
export const authorizerEnvSchema = z.extend(z.extend(baseEnvSchema, sessionEnvSchema.shape), {
  /** The stack's Cognito user pool, accepted as a built-in provider (its groups `admin`… `viewer` map to levels). */
  QM_COGNITO_USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
  /** Comma-separated app client ids whose access tokens are accepted (the SPA client). */
  QM_COGNITO_CLIENT_IDS: z.optional(z.string().check(z.minLength(1))),
  /** Org of users provisioned from the built-in Cognito pool. */
  QM_COGNITO_DEFAULT_ORG: z._default(z.string().check(z.minLength(1)), 'default'),
  /** How long a verified principal is reused in memory (seconds), on top of API Gateway's cache. */
  QM_AUTHORIZER_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(300)), 30),
});
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
