import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const healthDeepEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape), {
  /** How long one cluster may take to answer before it counts as unreachable (all are checked in parallel). */
  QM_HEALTH_CHECK_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(20_000)), 3_000),
});
export type HealthDeepEnv = z.infer<typeof healthDeepEnvSchema>;
