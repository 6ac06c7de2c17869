import type * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

export const approvalStepsEnvSchema = baseEnvSchema;
export type ApprovalStepsEnv = z.infer<typeof approvalStepsEnvSchema>;
