import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const adminEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type AdminEnv = z.infer<typeof adminEnvSchema>;
