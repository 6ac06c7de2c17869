import * as z from 'zod/mini';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';

export const statusEnvSchema = z.extend(baseEnvSchema, eventsEnvSchema.shape);
export type StatusEnv = z.infer<typeof statusEnvSchema>;
