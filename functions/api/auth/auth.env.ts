import type { z } from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema, eventsEnvSchema } from '../../../shared/config/env';
import { loginEnvSchema, sessionEnvSchema } from '../../../shared/config/identity-env';

export const authEnvSchema = baseEnvSchema.extend(eventsEnvSchema.shape).extend(sessionEnvSchema.shape).extend(loginEnvSchema.shape).extend(accessEnvSchema.shape);
export type AuthEnv = z.infer<typeof authEnvSchema>;
