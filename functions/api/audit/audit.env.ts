import * as z from 'zod/mini';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const auditEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type AuditEnv = z.infer<typeof auditEnvSchema>;
