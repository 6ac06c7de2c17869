import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const templatesEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type TemplatesEnv = z.infer<typeof templatesEnvSchema>;
