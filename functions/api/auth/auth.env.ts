import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';
import { sessionEnvSchema, sessionTokenEnvSchema } from '#config/identity-env';

export const authEnvSchema = z.extend(
  z.extend(z.extend(z.extend(baseEnvSchema, eventsEnvSchema.shape), sessionEnvSchema.shape), sessionTokenEnvSchema.shape),
  accessEnvSchema.shape,
);
export type AuthEnv = z.infer<typeof authEnvSchema>;
