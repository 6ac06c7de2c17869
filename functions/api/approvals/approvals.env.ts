import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

/** Decisions record approval events and the flow signal that ends the flow's wait (outbox): no Step Functions settings. */
export const approvalsEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type ApprovalsEnv = z.infer<typeof approvalsEnvSchema>;
