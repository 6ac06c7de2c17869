import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';
import { secretsEnvSchema } from '../../../shared/config/identity-env';

export const identityEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape), {
  /** Default redirect URI of server-side OIDC logins: `<base>/v1/auth/oidc/<id>/callback`. */
  QM_API_BASE_URL: z.url(),
});
export type IdentityEnv = z.infer<typeof identityEnvSchema>;
