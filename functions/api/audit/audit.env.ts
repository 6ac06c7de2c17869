import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const auditEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type AuditEnv = z.infer<typeof auditEnvSchema>;
