import * as z from 'zod';
import { baseEnvSchema, eventsEnvSchema } from '../../shared/config/env';
import { sessionEnvSchema } from '../../shared/config/identity-env';

/** The authorizer verifies tokens, provisions users just in time and emits `auth.login_failure`. */
export const authorizerEnvSchema = baseEnvSchema
  .extend(eventsEnvSchema.shape)
  .extend(sessionEnvSchema.shape)
  .extend({
    /** The stack's Cognito user pool, accepted as a built-in provider (its groups `admin`… `viewer` map to levels). */
    QM_COGNITO_USER_POOL_ID: z.string().min(1).optional(),
    /** Comma-separated app client ids whose access tokens are accepted (the SPA client). */
    QM_COGNITO_CLIENT_IDS: z.string().min(1).optional(),
    /** Org of users provisioned from the built-in Cognito pool. */
    QM_COGNITO_DEFAULT_ORG: z.string().min(1).default('default'),
    /** How long a verified principal is reused in memory (seconds), on top of API Gateway's cache. */
    QM_AUTHORIZER_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  });
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
