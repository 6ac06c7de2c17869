import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, limitsEnvSchema } from '#config/env';

/** Dispatch requests (launch at submit, stop at cancel) and approval flow signals are events recorded in the outbox: no SQS, bus or state machine settings. */
export const jobsEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, limitsEnvSchema.shape), accessEnvSchema.shape), {
  /** Backends this deployment offers, comma-separated; `local` is accepted only when QM_LOCAL_STACK=true. */
  QM_BACKENDS: z._default(z.string(), 'ecs'),
});
export type JobsEnv = z.infer<typeof jobsEnvSchema>;
