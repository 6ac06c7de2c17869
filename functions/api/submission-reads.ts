import { DynamoApprovalRuleRepository } from '#adapters/dynamodb/dynamo-approval-rule.repository';
import { dynamoRequesterFacts } from '#adapters/dynamodb/dynamo-requester-facts.repository';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoClusterRepository } from '#adapters/dynamodb/dynamo-cluster.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { parseBackends } from '#config/backends';
import type * as z from 'zod/mini';
import type { limitsEnvSchema } from '#config/env';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';
import type { ApiRuntime } from './api-access';
import { dynamoLimits } from './limits-source';

/**
 * What judging a submission reads, composed once for the two functions that judge one: jobs (which then
 * writes it) and explain (which only reports), so that the dry run decides exactly as submit.
 */
export function dynamoSubmissionReads(
  env: z.infer<typeof limitsEnvSchema> & { QM_TABLE_NAME: string; QM_BACKENDS: string; QM_LOCAL_STACK: string },
  runtime: ApiRuntime & { clock: Clock; ids: IdSource },
) {
  const { doc, configCacheMs } = runtime;
  const backends = parseBackends(env.QM_BACKENDS, env.QM_LOCAL_STACK === 'true');
  const table = env.QM_TABLE_NAME;
  return {
    jobs: new DynamoJobRepository(doc, table),
    quotas: new DynamoQuotaRepository(doc, table, configCacheMs),
    limits: dynamoLimits(env, runtime),
    hardware: new DynamoHardwareCatalog(doc, table, configCacheMs),
    resourceRules: new DynamoResourceRuleRepository(doc, table, configCacheMs),
    scheduling: new DynamoSchedulingSettings(doc, table, configCacheMs),
    clock: runtime.clock,
    ids: runtime.ids,
    backends,
    // Registered clusters are read only where the deployment offers Kubernetes, and only for Kubernetes jobs.
    ...(backends.includes('kubernetes') ? { clusters: new DynamoClusterRepository(doc, table) } : {}),
  };
}

/**
 * What judging a submission against the approval rules reads, for jobs and explain alike: the rules (org
 * and platform, cached), the requester's earlier jobs (only when a rule asks), and the levels.
 */
export function dynamoApprovalGate(env: { QM_TABLE_NAME: string }, runtime: ApiRuntime, levels: LevelCatalog) {
  return {
    approvalRules: new DynamoApprovalRuleRepository(runtime.doc, env.QM_TABLE_NAME, runtime.configCacheMs),
    requesterFacts: dynamoRequesterFacts(runtime.doc, env.QM_TABLE_NAME),
    levels,
  };
}
