import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { sessionEnvSchema, sessionTokenEnvSchema } from '#config/identity-env';

export const sessionsEnvSchema = z.extend(
  z.extend(z.extend(baseEnvSchema, sessionEnvSchema.shape), sessionTokenEnvSchema.shape),
  accessEnvSchema.shape,
);
export type SessionsEnv = z.infer<typeof sessionsEnvSchema>;
