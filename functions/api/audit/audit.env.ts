import type * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema } from '../../../shared/config/env';

export const auditEnvSchema = baseEnvSchema.extend(accessEnvSchema.shape);
export type AuditEnv = z.infer<typeof auditEnvSchema>;
