import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, limitsEnvSchema } from '#config/env';

export const quotasEnvSchema = z.extend(z.extend(baseEnvSchema, limitsEnvSchema.shape), accessEnvSchema.shape);
export type QuotasEnv = z.infer<typeof quotasEnvSchema>;
