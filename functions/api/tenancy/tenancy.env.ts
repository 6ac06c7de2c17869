import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const tenancyEnvSchema = baseEnvSchema.extend(accessEnvSchema.shape);
export type TenancyEnv = z.infer<typeof tenancyEnvSchema>;
