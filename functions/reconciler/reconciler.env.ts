import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

export const reconcilerEnvSchema = z.extend(baseEnvSchema, {
  /** ECS cluster whose job tasks the reconciler describes. */
  QM_ECS_CLUSTER_ARN: z.string().check(z.minLength(1)),
});
export type ReconcilerEnv = z.infer<typeof reconcilerEnvSchema>;
