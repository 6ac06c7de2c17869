import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const adminEnvSchema = baseEnvSchema.extend(accessEnvSchema.shape);
export type AdminEnv = z.infer<typeof adminEnvSchema>;
