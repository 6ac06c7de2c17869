import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema, limitsEnvSchema } from '#config/env';

/** As the jobs function reads limits and backends, so that the dry run judges exactly as submit does. */
export const explainEnvSchema = z.extend(z.extend(z.extend(baseEnvSchema, limitsEnvSchema.shape), accessEnvSchema.shape), {
  /** Backends this deployment offers, comma-separated; `local` is accepted only when QM_LOCAL_STACK=true. */
  QM_BACKENDS: z._default(z.string(), 'ecs'),
});
export type ExplainEnv = z.infer<typeof explainEnvSchema>;
