import * as z from 'zod';
import { accessEnvSchema } from '../../../shared/config/access-env';
import { baseEnvSchema, eventsEnvSchema, limitsEnvSchema } from '../../../shared/config/env';

/** Dispatch requests (launch at submit, stop at cancel) go out as events on the bus: no SQS settings. */
export const jobsEnvSchema = baseEnvSchema
  .extend(eventsEnvSchema.shape)
  .extend(limitsEnvSchema.shape)
  .extend(accessEnvSchema.shape)
  .extend({
  /** Backends this deployment offers, comma-separated; `local` is accepted only when QM_LOCAL_STACK=true. */
  QM_BACKENDS: z.string().default('ecs'),
  /** Name of the CloudWatch Logs group that holds job output (awslogs driver). */
  QM_JOB_LOG_GROUP: z.string().default('/quartermaster/jobs'),
});
export type JobsEnv = z.infer<typeof jobsEnvSchema>;
