import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const logsEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, accessEnvSchema.shape), secretsEnvSchema.shape), {
  /** With `kubernetes`, Kubernetes jobs' output is read from their pod logs. */
  QM_BACKENDS: z._default(z.string(), 'ecs'),
  /** Name of the CloudWatch Logs group that holds job output (awslogs driver). */
  QM_JOB_LOG_GROUP: z._default(z.string(), '/quartermaster/jobs'),
});
export type LogsEnv = z.infer<typeof logsEnvSchema>;
