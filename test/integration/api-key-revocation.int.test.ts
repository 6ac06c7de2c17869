import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditTrail } from '#adapters/dynamodb/dynamo-audit-trail.repository';
import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import { loadEnv } from '#config/env';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ApiKeyVerifier } from '#adapters/jwt/credential.verifier';
import { createLogger } from '#adapters/logging/logger';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { createApiKey } from '#domain/identity/api-key.service';
import { composeJobs } from '#functions/api/jobs/jobs.app';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { jobsRoutes } from '#functions/api/jobs/jobs.routes';
import { composeMe } from '#functions/api/me/me.app';
import { meEnvSchema } from '#functions/api/me/me.env';
import { meRoutes } from '#functions/api/me/me.routes';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { startHttpServer, type RunningHttpServer } from '#scripts/local/http-server';
import { seedDemoData } from '#scripts/local/seed';
import { createTestTable } from '#test-support/integration-env';
import { principalOfUser } from '#test-support/job-fixtures';

/**
 * A revoked API key is refused at its next request on every route, although the authorizer's answer for it
 * is still cached (API Gateway keeps it up to 60 s, the authorizer itself 30 s): the access gate of every
 * function re-reads the key. The authorizer, the me and jobs functions are composed as deployed (access gate
 * and audit middleware of their one composition) on DynamoDB Local; the test counts entries in the audit log.
 */
let server: RunningHttpServer;
let trail: DynamoAuditTrail;
let orgId = '';
/** The org's hash-chained audit log, as the functions appended it. */
const auditEntries = async () => (await trail.query({ orgId, limit: 200 })).items;
let keyA = { id: '', key: '' };
let keyB = { id: '', key: '' };

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const { doc, tableName } = await createTestTable();
  await seedDemoData(doc, tableName);
  const stores = dynamoIdentityStores(doc, tableName);
  const ids = ulidSource();
  const rae = await stores.users.get('rae');
  if (!rae) throw new Error('seed: no rae');
  const principal = principalOfUser(rae, 'session');
  const newKey = async (name: string) => {
    const { key, record } = await createApiKey(
      principal,
      { name, scopes: ['job.view.own', 'job.submit'], expiresInDays: 30 },
      { apiKeys: stores.apiKeys, clock: systemClock, ids },
    );
    return { id: record.id, key };
  };
  keyA = await newKey('ci-a');
  keyB = await newKey('ci-b');

  // The me and jobs functions as Lambda and the local stack build them (their one composition), on DynamoDB Local.
  const values = {
    QM_TABLE_NAME: tableName,
    QM_BACKENDS: 'local',
    QM_LOCAL_STACK: 'true',
  };
  const runtime = { doc, ids, logger: createLogger({ logLevel: 'SILENT' }) };
  const me = composeMe(loadEnv(meEnvSchema, values), runtime);
  const jobs = composeJobs(loadEnv(jobsEnvSchema, values), {
    ...runtime,
    events: new InProcessEventBus(),
  });
  trail = new DynamoAuditTrail(doc, tableName);
  orgId = rae.orgId;
  // One authorizer for the whole file: its 30 s cache stands in for API Gateway's, which would answer the same.
  const authorizer = createAuthorizer({
    users: stores.users,
    verifiers: [new ApiKeyVerifier({ apiKeys: stores.apiKeys, clock: systemClock, ids })],
  });
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    groups: [
      { name: 'me', routes: meRoutes },
      { name: 'jobs', routes: jobsRoutes },
    ],
    loadHandler: async (group) => (group.name === 'me' ? me : jobs),
    authorizer,
    onError: () => undefined,
  });
});
afterAll(async () => server?.close());

const call = (path: string, key: string, method = 'GET') =>
  fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
const revocationEntries = async () =>
  (await auditEntries()).filter((e) => e.target === `api-key/${keyA.id}` || e.target?.includes(`/v1/me/api-keys/${keyA.id}`));

describe('API key revocation', () => {
  it('takes effect at the next request on every route, while the authorizer still has the key cached', async () => {
    expect((await call('/v1/me', keyA.key)).status).toBe(200);
    expect((await call('/v1/jobs', keyA.key)).status).toBe(200);
    expect((await call(`/v1/me/api-keys/${keyA.id}`, keyA.key, 'DELETE')).status).toBe(204);

    const me = await call('/v1/me', keyA.key);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await call('/v1/jobs', keyA.key)).status).toBe(401);
    // Every refusal is audited.
    expect((await auditEntries()).filter((e) => e.action === 'request.denied' && e.actor === 'rae').length).toBeGreaterThanOrEqual(2);
    // The owner's other key is untouched.
    expect((await call('/v1/me', keyB.key)).status).toBe(200);
  });

  it('is idempotent: revoking a revoked key answers 204 again and audits no second success', async () => {
    expect(await revocationEntries()).toEqual([expect.objectContaining({ action: 'api_key.revoke', outcome: 'success' })]);
    expect((await call(`/v1/me/api-keys/${keyA.id}`, keyB.key, 'DELETE')).status).toBe(204);
    expect(await revocationEntries()).toHaveLength(1);
    // An unknown id is still a 404.
    expect((await call('/v1/me/api-keys/01HZZZZZZZZZZZZZZZZZZZZZZZ', keyB.key, 'DELETE')).status).toBe(404);
  });
});
