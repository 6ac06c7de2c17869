import type * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

export const statusEnvSchema = baseEnvSchema;
export type StatusEnv = z.infer<typeof statusEnvSchema>;
