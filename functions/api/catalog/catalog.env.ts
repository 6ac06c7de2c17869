import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const catalogEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type CatalogEnv = z.infer<typeof catalogEnvSchema>;
