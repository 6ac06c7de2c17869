import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.source';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { parseBackends } from '#config/backends';
import type * as z from 'zod/mini';
import type { limitsEnvSchema } from '#config/env';

/**
 * What judging a submission reads, composed once for the two deployed functions that judge one: jobs
 * (which then writes it) and explain (which only reports), so that the dry run decides exactly as submit.
 */
export function dynamoSubmissionReads(
  doc: DynamoDBDocumentClient,
  tableName: string,
  env: z.infer<typeof limitsEnvSchema> & { QM_BACKENDS: string; QM_LOCAL_STACK: string },
) {
  return {
    jobs: new DynamoJobRepository(doc, tableName),
    quotas: new DynamoQuotaRepository(doc, tableName),
    limits: new DynamoLimitsSource(doc, tableName, { maxConcurrent: env.QM_MAX_CONCURRENT, userMaxConcurrent: env.QM_USER_MAX_CONCURRENT }),
    hardware: new DynamoHardwareCatalog(doc, tableName),
    resourceRules: new DynamoResourceRuleRepository(doc, tableName),
    scheduling: new DynamoSchedulingSettings(doc, tableName),
    clock: systemClock,
    ids: ulidSource(),
    backends: parseBackends(env.QM_BACKENDS, env.QM_LOCAL_STACK === 'true'),
  };
}
