import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const catalogEnvSchema = baseEnvSchema.extend(accessEnvSchema.shape);
export type CatalogEnv = z.infer<typeof catalogEnvSchema>;
