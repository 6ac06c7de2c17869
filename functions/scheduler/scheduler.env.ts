import * as z from 'zod/mini';
import { baseEnvSchema, eventsEnvSchema, limitsEnvSchema } from '#config/env';

export const schedulerEnvSchema = z.extend(z.extend(baseEnvSchema, eventsEnvSchema.shape), limitsEnvSchema.shape);
export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;
