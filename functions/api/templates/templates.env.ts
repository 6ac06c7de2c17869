import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const templatesEnvSchema = baseEnvSchema.extend(accessEnvSchema.shape);
export type TemplatesEnv = z.infer<typeof templatesEnvSchema>;
