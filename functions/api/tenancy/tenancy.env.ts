import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const tenancyEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type TenancyEnv = z.infer<typeof tenancyEnvSchema>;
