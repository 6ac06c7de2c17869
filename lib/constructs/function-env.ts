import type { baseEnvSchema, limitsEnvSchema } from '#config/env';
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
