import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const templatesEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type TemplatesEnv = z.infer<typeof templatesEnvSchema>;
