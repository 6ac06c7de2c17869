import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const meEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type MeEnv = z.infer<typeof meEnvSchema>;
