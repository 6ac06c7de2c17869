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
 * The hash-chained audit log on the single table. Each appended entry's sequence number and hash also go to
 * the function's log: an anchor outside the table that a rewrite of the whole chain cannot reach (see
 * `verifyChain`).
 */
function dynamoAuditLog(
  doc: DynamoDBDocumentClient,
  tableName: string,
  env: Pick<AccessEnv, 'QM_AUDIT_RETENTION_DAYS'>,
  options: { logger?: Logger; clock?: Clock },
): DynamoAuditLog {
  return new DynamoAuditLog(doc, tableName, {
    retentionDays: env.QM_AUDIT_RETENTION_DAYS,
    ...(options.clock ? { clock: options.clock } : {}),
    onAppended: (record) =>
      (options.logger ?? getLogger()).info('audit entry appended', {
        auditOrgId: record.orgId,
        auditSeq: record.seq,
        auditHash: record.hash,
      }),
  });
}

/** Builds the access gate and audit log on the single table. */
export function dynamoApiAccess(
  doc: DynamoDBDocumentClient,
  tableName: string,
  env: Pick<AccessEnv, 'QM_AUDIT_RETENTION_DAYS' | 'QM_PERMISSION_CACHE_SECONDS'>,
  options: { logger?: Logger; clock?: Clock } = {},
): ApiAccess {
  const users = new DynamoCurrentUsers(doc, tableName);
  const levels = new DynamoLevelCatalog(doc, tableName, env.QM_PERMISSION_CACHE_SECONDS * 1000);
  const orgStatus = new DynamoOrgStatus(doc, tableName, env.QM_PERMISSION_CACHE_SECONDS * 1000);
  const audit = dynamoAuditLog(doc, tableName, env, options);
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
  return {
    access,
    options: { ...handlerOptions(access.audit, runtime), principalGate: access.principalGate },
    clock,
    ids: runtime.ids ?? ulidSource(),
  };
}

/**
 * The same for a function whose routes are all `public` (the two sign-ins: the caller has no token yet): the
 * audit log without the access gate, whose stores (users, levels, org status, API keys) such a function never
 * reads. Leaving them out keeps the sign-in bundles within their cold-start budget (docs/budgets.md). Only
 * for all-public route tables: without the gate a non-public route would trust the authorizer's cached answer
 * alone (a disabled user or org would pass for up to a minute); `composeSignIn` checks it.
 */
export function composePublicApiAccess(env: BaseEnv & Pick<AccessEnv, 'QM_AUDIT_RETENTION_DAYS'>, runtime: ApiRuntime) {
  const clock = runtime.clock ?? systemClock;
  const audit = dynamoAuditLog(runtime.doc, env.QM_TABLE_NAME, env, { ...(runtime.logger ? { logger: runtime.logger } : {}), clock });
  return { audit, options: handlerOptions(audit, runtime), clock, ids: runtime.ids ?? ulidSource() };
}

function handlerOptions(audit: DynamoAuditLog, runtime: ApiRuntime): ApiHandlerOptions {
  return {
    audit,
    ...(runtime.logger ? { logger: runtime.logger } : {}),
    ...(runtime.validateResponses ? { validateResponses: true } : {}),
  };
}
