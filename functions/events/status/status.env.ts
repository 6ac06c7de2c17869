import type { z } from 'zod';
import { baseEnvSchema, eventsEnvSchema } from '../../../shared/config/env';

export const statusEnvSchema = baseEnvSchema.extend(eventsEnvSchema.shape);
export type StatusEnv = z.infer<typeof statusEnvSchema>;
