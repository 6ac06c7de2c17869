import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditLog } from '#adapters/dynamodb/dynamo-audit-log.repository';
import { DynamoLevelCatalog } from '#adapters/dynamodb/dynamo-level.repository';
import { DynamoOrgStatus } from '#adapters/dynamodb/dynamo-org-status.repository';
import { DynamoApiKeyStatus } from '#adapters/dynamodb/dynamo-api-key-status.repository';
import { DynamoCurrentUsers } from '#adapters/dynamodb/dynamo-current-users.repository';
import { getLogger, type Logger } from '#adapters/logging/logger';
import type { AccessEnv } from '#config/access-env';
import type { BaseEnv } from '#config/env';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { ApiHandlerOptions } from '#http/api-handler';
import { createAccessGate, type PrincipalGate } from '#domain/identity/access-gate';
import type { Clock, IdSource } from '#domain/runtime/runtime.port';

/** What every authenticated API function composes: the access gate and the audit log, and the stores behind them. */
export interface ApiAccess {
  principalGate: PrincipalGate;
  audit: DynamoAuditLog;
  levels: DynamoLevelCatalog;
  /** Org status as the gate sees it; give it to a `DynamoTenancyRepository` so org changes apply at once. */
  orgStatus: DynamoOrgStatus;
}

/**
 * Builds the access gate and audit log on the single table. Each appended audit entry's sequence number and
 * hash also go to the function's log: an anchor outside the table that a rewrite of the whole chain cannot
 * reach (see `verifyChain`).
 */
export function dynamoApiAccess(
  doc: DynamoDBDocumentClient,
  tableName: string,
  env: Pick<AccessEnv, 'QM_AUDIT_RETENTION_DAYS' | 'QM_PERMISSION_CACHE_SECONDS'>,
  options: { logger?: Logger; clock?: Clock } = {},
): ApiAccess {
  const users = new DynamoCurrentUsers(doc, tableName);
  const levels = new DynamoLevelCatalog(doc, tableName, env.QM_PERMISSION_CACHE_SECONDS * 1000);
  const orgStatus = new DynamoOrgStatus(doc, tableName, env.QM_PERMISSION_CACHE_SECONDS * 1000);
  const audit = new DynamoAuditLog(doc, tableName, {
    retentionDays: env.QM_AUDIT_RETENTION_DAYS,
    ...(options.clock ? { clock: options.clock } : {}),
    onAppended: (record) =>
      (options.logger ?? getLogger()).info('audit entry appended', {
        auditOrgId: record.orgId,
        auditSeq: record.seq,
        auditHash: record.hash,
      }),
  });
  const apiKeys = new DynamoApiKeyStatus(doc, tableName);
  return { principalGate: createAccessGate({ users, levels, orgs: orgStatus, apiKeys }), audit, levels, orgStatus };
}

/**
 * What a function's composition takes besides its env: the DynamoDB client, and what the local stack and the
 * tests vary. Lambda passes the client alone; everything else then has its deployed default.
 */
export interface ApiRuntime {
  doc: DynamoDBDocumentClient;
  clock?: Clock;
  ids?: IdSource;
  /** The handler's logger and the audit anchor lines' (default: the process-wide logger). */
  logger?: Logger;
  /** Check every response against its declared schema (tests and the local stack; a parse per response). */
  validateResponses?: boolean;
  /** How long configuration reads (quotas, limits, hardware, resource rules) are cached; default: each store's own. */
  configCacheMs?: number;
}

/**
 * The part every authenticated API function composes the same way: the access gate and the hash-chained audit
 * log on the table, handed to the middleware bundle (never to route code: routes return what to audit), plus
 * the clock and ids.
 */
export function composeApiAccess(env: BaseEnv & AccessEnv, runtime: ApiRuntime) {
  const clock = runtime.clock ?? systemClock;
  const access = dynamoApiAccess(runtime.doc, env.QM_TABLE_NAME, env, {
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    clock,
  });
  const options: ApiHandlerOptions = {
    principalGate: access.principalGate,
    audit: access.audit,
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    ...(runtime.validateResponses ? { validateResponses: true } : {}),
  };
  return { access, options, clock, ids: runtime.ids ?? ulidSource() };
}
