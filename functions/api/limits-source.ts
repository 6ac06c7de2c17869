import type * as z from 'zod/mini';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.repository';
import type { limitsEnvSchema } from '#config/env';
import type { ApiRuntime } from './api-access';

/** The deployment's concurrency limits (env defaults, overridden by the stored settings), for every function that shows or applies them. */
export function dynamoLimits(env: z.infer<typeof limitsEnvSchema> & { QM_TABLE_NAME: string }, runtime: ApiRuntime) {
  const defaults = { maxConcurrent: env.QM_MAX_CONCURRENT, userMaxConcurrent: env.QM_USER_MAX_CONCURRENT };
  return new DynamoLimitsSource(runtime.doc, env.QM_TABLE_NAME, defaults, runtime.configCacheMs);
}
