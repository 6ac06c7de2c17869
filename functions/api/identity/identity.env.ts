import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const identityEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape), {
  /** Default redirect URI of server-side OIDC logins: `<base>/v1/auth/oidc/<id>/callback`. */
  QM_API_BASE_URL: z.url(),
  /** The stack's Cognito user pool: its issuer is reserved for the built-in provider (no second provider claims it). */
  QM_COGNITO_USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
});
export type IdentityEnv = z.infer<typeof identityEnvSchema>;
