import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const meEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type MeEnv = z.infer<typeof meEnvSchema>;
