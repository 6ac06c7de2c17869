import type { z } from 'zod';
import { baseEnvSchema, eventsEnvSchema, limitsEnvSchema } from '../../shared/config/env';

export const schedulerEnvSchema = baseEnvSchema
  .extend(eventsEnvSchema.shape)
  .extend(limitsEnvSchema.shape);
export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;
