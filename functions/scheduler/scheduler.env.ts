import * as z from 'zod/mini';
import { baseEnvSchema, limitsEnvSchema } from '#config/env';

export const schedulerEnvSchema = z.extend(baseEnvSchema, limitsEnvSchema.shape);
export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;
