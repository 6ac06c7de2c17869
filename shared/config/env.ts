import * as z from 'zod/mini';

/**
 * Typed environment contracts. Each function declares a zod schema (see `functions/<fn>/<fn>.env.ts`),
 * validates `process.env` once at cold start with `loadEnv`, and the CDK function construct is typed with
 * `z.input` of the same schema, so infrastructure and code cannot drift apart.
 */
export const baseEnvSchema = z.object({
  /** Single DynamoDB table holding every entity. */
  QM_TABLE_NAME: z.string().check(z.minLength(1)),
  /** `local` only in the local stack; deployed stacks use their stage name. */
  QM_STAGE: z._default(z.string().check(z.minLength(1)), 'prod'),
  /** Job records expire this many days after they end (DynamoDB TTL); 0 keeps them. */
  QM_JOB_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 90),
  /** Set to `true` by the local stack only; the authorizer refuses to start with it inside Lambda. */
  QM_LOCAL_STACK: z._default(z.enum(['true', 'false']), 'false'),
  POWERTOOLS_SERVICE_NAME: z._default(z.string(), 'quartermaster'),
  /** Endpoint override for DynamoDB Local (never set in a deployed stack). */
  QM_DYNAMODB_ENDPOINT: z.optional(z.string().check(z.url())),
});

/**
 * Variables only the local stack may set: they switch off verification or point the SDK at emulators. A
 * function inside Lambda refuses to start with them, and CDK refuses to deploy them (`QmFunction`).
 */
export const LOCAL_ONLY_ENV_KEYS = ['QM_LOCAL_STACK', 'QM_DYNAMODB_ENDPOINT', 'QM_SQS_ENDPOINT'] as const;

export type BaseEnv = z.infer<typeof baseEnvSchema>;

export const eventsEnvSchema = z.object({
  /** Name of the custom EventBridge bus for domain events. */
  QM_EVENT_BUS_NAME: z._default(z.string().check(z.minLength(1)), 'quartermaster'),
});

export const limitsEnvSchema = z.object({
  /** Default global limit of admitted + running jobs, until an admin sets one in the table. */
  QM_MAX_CONCURRENT: z._default(z.coerce.number().check(z.int(), z.gte(1)), 100),
  /** Default per-user limit of admitted + running jobs. */
  QM_USER_MAX_CONCURRENT: z._default(z.coerce.number().check(z.int(), z.gte(1)), 10),
});

/** Parses `source` (default `process.env`) against `schema`; throws one readable error naming every bad key. */
export function loadEnv<S extends z.core.$ZodType>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = z.safeParse(schema, source);
  if (!result.success) {
    const keys = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid environment: ${keys}`);
  }
  assertNotLocalInLambda(result.data as Record<string, unknown>, source);
  return result.data;
}

/**
 * The local stack's shortcuts (development principal, `local` backend, endpoint overrides) must be
 * impossible in a deployed stack: a function running inside Lambda refuses to start with them.
 */
export function assertNotLocalInLambda(env: Record<string, unknown>, source: Record<string, string | undefined> = process.env): void {
  if (!source.AWS_LAMBDA_FUNCTION_NAME) return;
  const local = LOCAL_ONLY_ENV_KEYS.filter((key) => env[key] !== undefined && env[key] !== 'false');
  if (local.length > 0) throw new Error(`Refusing to start inside Lambda with local-stack settings: ${local.join(', ')}`);
}
