import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { loginEnvSchema, secretsEnvSchema, sessionEnvSchema } from '#config/identity-env';

/** Session issuing plus the break-glass switch and secret. */
export const passwordAuthEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, sessionEnvSchema.shape), loginEnvSchema.shape), {
  ...accessEnvSchema.shape,
  ...secretsEnvSchema.shape,
});
export type PasswordAuthEnv = z.infer<typeof passwordAuthEnvSchema>;
