import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema, sessionEnvSchema, sessionTokenEnvSchema } from '#config/identity-env';

export const authEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, sessionEnvSchema.shape), sessionTokenEnvSchema.shape), {
  ...accessEnvSchema.shape,
  ...secretsEnvSchema.shape,
});
export type AuthEnv = z.infer<typeof authEnvSchema>;
