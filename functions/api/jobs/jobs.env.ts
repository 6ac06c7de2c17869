import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, limitsEnvSchema } from '#config/env';

/** Dispatch requests (launch at submit, stop at cancel) are events recorded in the outbox: no SQS or bus settings. */
export const jobsEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, limitsEnvSchema.shape), accessEnvSchema.shape), {
  /** Backends this deployment offers, comma-separated; `local` is accepted only when QM_LOCAL_STACK=true. */
  QM_BACKENDS: z._default(z.string(), 'ecs'),
  /** The approval state machine: a job an approval rule holds starts an execution of it. */
  QM_APPROVAL_STATE_MACHINE_ARN: z.string().check(z.regex(/^arn:aws[a-z-]*:states:/, 'a state machine ARN')),
});
export type JobsEnv = z.infer<typeof jobsEnvSchema>;
