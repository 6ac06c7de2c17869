import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const catalogEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type CatalogEnv = z.infer<typeof catalogEnvSchema>;
