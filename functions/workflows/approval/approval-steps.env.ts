import * as z from 'zod/mini';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';

export const approvalStepsEnvSchema = z.extend(baseEnvSchema, eventsEnvSchema.shape);
export type ApprovalStepsEnv = z.infer<typeof approvalStepsEnvSchema>;
