import type * as z from 'zod/mini';
import type { accessEnvSchema } from '#config/access-env';
import type { baseEnvSchema, limitsEnvSchema } from '#config/env';
import type { deliveryEnvSchema } from '#config/notifications-env';
import type { StageConfig } from '#lib/config/stage-config';
import type { DeployedEnv } from './qm-function';

/** Variables every function shares (`baseEnvSchema`), from the stage config and the table. */
export function baseFunctionEnv(config: StageConfig, tableName: string): DeployedEnv<typeof baseEnvSchema> {
  return {
    QM_TABLE_NAME: tableName,
    QM_STAGE: config.stage,
    QM_JOB_RETENTION_DAYS: String(config.jobRetentionDays),
    POWERTOOLS_SERVICE_NAME: 'quartermaster',
  };
}

/** Default concurrency limits (`limitsEnvSchema`) until an admin stores others in the table. */
export function limitsFunctionEnv(config: StageConfig): DeployedEnv<typeof limitsEnvSchema> {
  return {
    QM_MAX_CONCURRENT: String(config.maxConcurrentJobs),
    QM_USER_MAX_CONCURRENT: String(config.userMaxConcurrentJobs),
  };
}

/** The access gate and audit settings (`accessEnvSchema`) from the stage config. */
export function accessFunctionEnv(config: StageConfig): DeployedEnv<typeof accessEnvSchema> {
  return {
    QM_AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
    // docs/permissions.md: effective permissions are cached at most 60 s.
    QM_PERMISSION_CACHE_SECONDS: '60',
  };
}

/** What delivering notifications reads (`deliveryEnvSchema`): the verified sender, when configured, and the console. */
export function notificationFunctionEnv(config: StageConfig): DeployedEnv<typeof deliveryEnvSchema> {
  return {
    ...(config.notificationSender ? { QM_EMAIL_FROM: config.notificationSender.from } : {}),
    QM_CONSOLE_URL: config.consoleUrl,
  };
}

/**
 * The variables of `values` that `schema` names: a function's environment is decided by its env schema, from
 * one set of values for the whole stage (CDK) or the bench. Adding a function adds no env wiring.
 */
export function envNamedBy(schema: z.core.$ZodObject, values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(schema._zod.def.shape).flatMap((name) => (values[name] === undefined ? [] : [[name, values[name]]])),
  );
}
