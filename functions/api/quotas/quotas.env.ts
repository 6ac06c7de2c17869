import type * as z from 'zod';
import { baseEnvSchema, limitsEnvSchema } from '../../../shared/config/env';

export const quotasEnvSchema = baseEnvSchema.extend(limitsEnvSchema.shape);
export type QuotasEnv = z.infer<typeof quotasEnvSchema>;
