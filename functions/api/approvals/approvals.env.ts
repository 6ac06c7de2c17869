import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

/** Decisions record approval events (outbox) and end the flow's wait with the request's task token (no ARN needed). */
export const approvalsEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type ApprovalsEnv = z.infer<typeof approvalsEnvSchema>;
