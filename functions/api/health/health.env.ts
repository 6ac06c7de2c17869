import type * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

export const healthEnvSchema = baseEnvSchema;
export type HealthEnv = z.infer<typeof healthEnvSchema>;
