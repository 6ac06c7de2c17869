import type * as z from 'zod';
import { baseEnvSchema } from '../../../shared/config/env';

export const catalogEnvSchema = baseEnvSchema;
export type CatalogEnv = z.infer<typeof catalogEnvSchema>;
