import type { z } from 'zod';
import { baseEnvSchema } from '../../../shared/config/env';

export const healthEnvSchema = baseEnvSchema;
export type HealthEnv = z.infer<typeof healthEnvSchema>;
