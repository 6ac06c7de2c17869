import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema, limitsEnvSchema } from '../../../shared/config/env';

export const quotasEnvSchema = baseEnvSchema.extend(limitsEnvSchema.shape).extend(accessEnvSchema.shape);
export type QuotasEnv = z.infer<typeof quotasEnvSchema>;
