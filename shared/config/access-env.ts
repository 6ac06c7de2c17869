import * as z from 'zod/mini';

/**
 * Environment of every route function that runs the access gate and writes the audit trail (every API
 * function but health). Kept apart from `env.ts` so the authorization work owns its settings.
 */
export const accessEnvSchema = z.object({
  /** Days audit entries are kept (DynamoDB TTL); 0 keeps them forever. */
  QM_AUDIT_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 90),
  /** How long custom level definitions are cached by the access gate; docs/permissions.md caps it at 60 s. */
  QM_PERMISSION_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(60)), 60),
});
export type AccessEnv = z.infer<typeof accessEnvSchema>;
