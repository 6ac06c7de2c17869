import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema, eventsEnvSchema } from '../../../shared/config/env';
import { sessionEnvSchema, sessionTokenEnvSchema } from '../../../shared/config/identity-env';

export const authEnvSchema = z.extend(
  z.extend(z.extend(z.extend(baseEnvSchema, eventsEnvSchema.shape), sessionEnvSchema.shape), sessionTokenEnvSchema.shape),
  accessEnvSchema.shape,
);
export type AuthEnv = z.infer<typeof authEnvSchema>;
