import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';

/** Decisions publish approval events and end the flow's wait with the request's task token (no ARN needed). */
export const approvalsEnvSchema = z.extend(z.extend(baseEnvSchema, eventsEnvSchema.shape), accessEnvSchema.shape);
export type ApprovalsEnv = z.infer<typeof approvalsEnvSchema>;
