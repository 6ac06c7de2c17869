import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const tenancyEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type TenancyEnv = z.infer<typeof tenancyEnvSchema>;
