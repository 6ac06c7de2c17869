import { generateKeyPairSync } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { dynamoIdentityStores } from '#adapters/dynamodb/identity-stores';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ApiKeyVerifier, inMemoryJwksFetcher, SessionTokenVerifier } from '#adapters/jwt/credential.verifier';
import { LocalKeySigner } from '#adapters/jwt/local-key-signer.client';
import { createLogger } from '#adapters/logging/logger';
import { OUTAGE_RETRY_AFTER_SECONDS } from '#adapters/runtime/dependency-outage';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import { createApiKey } from '#domain/identity/api-key.service';
import { issueSession } from '#domain/identity/session.service';
import { composeJobs } from '#functions/api/jobs/jobs.app';
import { jobsEnvSchema } from '#functions/api/jobs/jobs.env';
import { loadEnv } from '#config/env';
import { jobsRoutes } from '#functions/api/jobs/jobs.routes';
import { createAuthorizer } from '#functions/authorizer/authorizer.app';
import { startDynamoDbLocal, type DynamoDbLocal } from '#scripts/local/dynamodb-local';
import { startHttpServer, type RunningHttpServer } from '#scripts/local/http-server';
import { localClientConfig } from '#scripts/local/local-aws';
import { seedDemoData } from '#scripts/local/seed';
import { ensureTable } from '#scripts/local/table';
import { principalOfUser } from '#test-support/job-fixtures';

/**
 * A dependency outage answers 503 + Retry-After with the error envelope (`unavailable`) within seconds —
 * never a 401 that signs the user out, never a bare 500, never a hang. This file starts its own DynamoDB
 * Local (the shared one must not be stalled or killed) and composes the authorizer and the jobs function
 * as deployed (bounded SDK clients from `createDocumentClient`, access gate, audit log) behind the local
 * HTTP server. "Stall" freezes the emulator's JVM (SIGSTOP: connections accepted, nothing answers);
 * "outage" stops it (connections refused).
 */
const TABLE = 'qm-outage';
const ISSUER = 'https://quartermaster.outage.test';
/** "Within a few seconds": two attempts of 2 s each plus backoff, with room for a loaded 2-core machine. */
const ANSWER_WITHIN_MS = 7_000;
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

let dynamo: DynamoDbLocal | undefined;
let server: RunningHttpServer;
let sessionToken = '';
let apiKey = '';
let newAuthorizer: () => ReturnType<typeof createAuthorizer>;
/** The authorizer the local API calls; each case picks a cold one or one that has the token cached. */
let authorizer: ReturnType<typeof createAuthorizer>;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  const setup = new DynamoDBClient(localClientConfig(dynamo.endpoint));
  await ensureTable(setup, TABLE);
  setup.destroy();
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  await seedDemoData(doc, TABLE);
  const stores = dynamoIdentityStores(doc, TABLE);
  const ids = ulidSource();
  const signer = new LocalKeySigner(
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  const rae = await stores.users.get('rae');
  if (!rae) throw new Error('seed: no rae');
  const sessions = {
    signer,
    refreshTokens: stores.refreshTokens,
    users: stores.users,
    clock: systemClock,
    ids,
    settings: { issuer: ISSUER, audience: 'quartermaster', accessTokenSeconds: 900, refreshTokenSeconds: 3600 },
  };
  sessionToken = (await issueSession(rae, 'ldap:corp', sessions, { refreshable: false })).accessToken;
  const principal = principalOfUser(rae, 'session');
  apiKey = (
    await createApiKey(
      principal,
      { name: 'ci', scopes: ['job.view.own', 'job.submit'], expiresInDays: 30 },
      { apiKeys: stores.apiKeys, clock: systemClock, ids },
    )
  ).key;

  newAuthorizer = () =>
    createAuthorizer({
      users: stores.users,
      verifiers: [
        new ApiKeyVerifier({ apiKeys: stores.apiKeys, clock: systemClock, ids }),
        new SessionTokenVerifier({ issuer: ISSUER, audience: 'quartermaster', fetcher: inMemoryJwksFetcher(() => signer.publicJwks()) }),
      ],
    });
  authorizer = newAuthorizer();
  // The jobs function as Lambda and the local stack build it (its one composition), on the paused table.
  const jobs = composeJobs(
    loadEnv(jobsEnvSchema, {
      QM_TABLE_NAME: TABLE,
      QM_MAX_CONCURRENT: '100',
      QM_USER_MAX_CONCURRENT: '100',
      QM_BACKENDS: 'local',
      QM_LOCAL_STACK: 'true',
    }),
    {
      doc,
      events: new InProcessEventBus(),
      logger: createLogger({ logLevel: 'SILENT' }),
    },
  );
  server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    groups: [{ name: 'jobs', routes: jobsRoutes }],
    loadHandler: async () => jobs,
    authorizer: (event) => authorizer(event),
    onError: () => undefined,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await dynamo?.signal('resume').catch(() => undefined);
  await dynamo?.stop();
});

let submissions = 0;
const listJobs = (credential: string) => fetch(`${server.url}/v1/jobs`, { headers: { authorization: `Bearer ${credential}` } });
const submitJob = (credential: string) =>
  fetch(`${server.url}/v1/jobs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${credential}`,
      'content-type': 'application/json',
      'idempotency-key': `outage-${(submissions += 1)}`,
    },
    body: JSON.stringify({ name: 'hello', image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 }),
  });

/** The answer of an outage: 503, Retry-After, the envelope with `unavailable`, and no later than ANSWER_WITHIN_MS. */
async function expectUnavailable(call: () => Promise<Response>): Promise<void> {
  const started = performance.now();
  const response = await call();
  const elapsed = performance.now() - started;
  const body = (await response.json()) as { error?: { code?: string } };
  expect({ status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after') }).toEqual({
    status: 503,
    code: 'unavailable',
    retryAfter: String(OUTAGE_RETRY_AFTER_SECONDS),
  });
  expect(elapsed).toBeLessThan(ANSWER_WITHIN_MS);
}

describe('while DynamoDB answers (the control)', () => {
  it('a session token, an API key and a submission succeed', async () => {
    expect((await listJobs(sessionToken)).status).toBe(200);
    expect((await listJobs(apiKey)).status).toBe(200);
    expect((await submitJob(sessionToken)).status).toBe(201);
  });
});

describe.each([
  ['stalled (process frozen, connections open)', 'stall'],
  ['down (process stopped)', 'stop'],
] as const)('while DynamoDB is %s', (_what, fault) => {
  // The authorizer that has the session token cached, so the submission reaches the jobs function itself.
  let warm: ReturnType<typeof createAuthorizer>;
  beforeAll(async () => {
    warm = newAuthorizer();
    authorizer = warm;
    expect((await listJobs(sessionToken)).status).toBe(200);
    if (fault === 'stall') await dynamo?.signal('stall');
    else {
      await dynamo?.stop();
      dynamo = undefined;
    }
  });
  afterAll(async () => {
    if (fault === 'stall') await dynamo?.signal('resume');
  });

  it('a session token gets 503 unavailable with Retry-After (the authorizer cannot read the user), not 401', async () => {
    authorizer = newAuthorizer();
    await expectUnavailable(() => listJobs(sessionToken));
  });

  it('an API key gets 503 unavailable with Retry-After (the key cannot be looked up), not 401', async () => {
    authorizer = newAuthorizer();
    await expectUnavailable(() => listJobs(apiKey));
  });

  it('a submission past the authorizer gets 503 unavailable with Retry-After, not 500', async () => {
    authorizer = warm;
    await expectUnavailable(() => submitJob(sessionToken));
  });

  if (fault === 'stall') {
    it('recovers once the database answers again', async () => {
      await dynamo?.signal('resume');
      authorizer = newAuthorizer();
      expect((await listJobs(apiKey)).status).toBe(200);
      expect((await submitJob(sessionToken)).status).toBe(201);
    });
  }
});
