import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const adminEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type AdminEnv = z.infer<typeof adminEnvSchema>;
