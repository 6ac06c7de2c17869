import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const dispatcherEnvSchema = z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), {
  /** Backends this stage offers: with `kubernetes`, jobs placed on registered clusters are launched there too. */
  QM_BACKENDS: z._default(z.string(), 'ecs'),
  /** ECS cluster that runs GPU jobs. */
  QM_ECS_CLUSTER_ARN: z.string().check(z.minLength(1)),
  /** Subnets (comma-separated) and security group for awsvpc job tasks. */
  QM_ECS_SUBNET_IDS: z.string().check(z.minLength(1)),
  QM_ECS_SECURITY_GROUP_ID: z.string().check(z.minLength(1)),
  /** Role the ECS agent uses to pull images and write logs; passed to registered task definitions. */
  QM_ECS_EXECUTION_ROLE_ARN: z.string().check(z.minLength(1)),
  /** Role the job's containers assume (no permissions by default). */
  QM_ECS_TASK_ROLE_ARN: z.string().check(z.minLength(1)),
  QM_JOB_LOG_GROUP: z._default(z.string(), '/quartermaster/jobs'),
});
export type DispatcherEnv = z.infer<typeof dispatcherEnvSchema>;
