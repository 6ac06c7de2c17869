import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createJobsHandler } from '#functions/api/jobs/jobs.app';
import { createLogsHandler } from '#functions/api/logs/logs.app';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { dynamoApiAccess } from '#functions/api/api-access';
import { QueueBusyHint } from '#domain/jobs/queue-hint';
import { DynamoResourceRuleRepository } from '#adapters/dynamodb/dynamo-resource-rule.repository';
import { DynamoTemplateRepository } from '#adapters/dynamodb/dynamo-template.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { Principal } from '#domain/authz/principal';
import type { ApiHandler } from '#http/api-handler';
import { startDynamoDbLocal } from '#scripts/local/dynamodb-local';
import { ensureJava } from '#scripts/local/java';
import { localClientConfig } from '#scripts/local/local-aws';
import { DEMO_USERS, seedDemoData } from '#scripts/local/seed';
import { ensureTable } from '#scripts/local/table';
import { fakeApiEvent, fakeLambdaContext, type FakeRequest } from './api-event';
import { progress } from './bench-env';
import { addCommands, DynamoRequestCounter, type RequestTally } from './request-counter';

/** docs/budgets.md: at most 3 sequential DynamoDB round trips per submit with warm caches. */
export const SUBMIT_ROUND_TRIP_BUDGET = 3;
const SAMPLES = Number(process.env.QM_BENCH_SUBMIT_SAMPLES ?? 5);
const TABLE = 'quartermaster-bench';

const jobBody = (name: string) => ({ name, image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 });

interface Kind {
  roundTrips: number[];
  sequential: number[];
  commands: Record<string, number>;
}

/**
 * DynamoDB round trips of the jobs API against DynamoDB Local, through the real handler (middleware bundle,
 * validation, services, Dynamo adapters) with the deployed function's composition apart from the clients:
 * EventBridge and SQS are in-memory stand-ins (not DynamoDB, so not counted), the hardware catalog keeps the
 * deployed default cache TTL. Every DynamoDB request on the wire is counted by command name.
 */
export async function run(): Promise<Record<string, unknown>> {
  ensureJava();
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
  try {
    const doc = createDocumentClient({ client });
    await ensureTable(client, TABLE);
    await seedDemoData(doc, TABLE);
    // Attached after setup so table creation and seeding never reach the tallies.
    const counter = new DynamoRequestCounter().attach(client);
    // As deployed (functions/api/jobs/jobs.handler.ts): the access gate re-reads the user and every
    // mutation is appended to the org's audit chain; templates and resource rules are read at submission.
    const access = dynamoApiAccess(doc, TABLE, { QM_AUDIT_RETENTION_DAYS: 90, QM_PERMISSION_CACHE_SECONDS: 60 });
    const handler = createJobsHandler({
      templates: new DynamoTemplateRepository(doc, TABLE),
      resourceRules: new DynamoResourceRuleRepository(doc, TABLE),
      queueHint: new QueueBusyHint(),
      principalGate: access.principalGate,
      audit: access.audit,
      jobs: new DynamoJobRepository(doc, TABLE),
      quotas: new DynamoQuotaRepository(doc, TABLE),
      limits: new DynamoLimitsSource(doc, TABLE, { maxConcurrent: 1000, userMaxConcurrent: 1000 }),
      scheduling: new DynamoSchedulingSettings(doc, TABLE),
      hardware: new DynamoHardwareCatalog(doc, TABLE),
      events: new InProcessEventBus(),
      clock: systemClock,
      ids: ulidSource(),
      backends: ['ecs'],
      retentionDays: 90,
    });
    const rae = DEMO_USERS.find((u) => u.id === 'rae');
    if (!rae) throw new Error('demo user rae missing');
    const principal: Principal = {
      userId: rae.id,
      orgId: rae.orgId,
      level: rae.level,
      platformAdmin: rae.platformAdmin,
      teamIds: rae.teamIds,
      authMethod: 'dev',
    };
    const call = (request: FakeRequest, expectStatus: number) => invoke(handler, counter, request, principal, expectStatus);
    // The job-output function (functions/api/logs/logs.handler.ts) with an empty log reader: its own reads counted.
    const logsHandler = createLogsHandler({
      jobs: new DynamoJobRepository(doc, TABLE),
      logs: () => ({ read: async () => ({ lines: [] }) }),
      principalGate: access.principalGate,
      audit: access.audit,
    });

    // Warm-up: the first submit fills the hardware catalog cache (and the SDK's connection pool).
    const warm = await call({ method: 'POST', route: '/v1/jobs', body: jobBody('bench-warm') }, 201);
    progress(`round trips: warm-up submit took ${warm.tally.roundTrips}`);

    const kinds = { fresh: newKind(), withIdempotencyKey: newKind(), idempotentReplay: newKind() };
    const keyed: { key: string; jobId: string; body: ReturnType<typeof jobBody> }[] = [];
    for (let i = 1; i <= SAMPLES; i++) {
      record(kinds.fresh, (await call({ method: 'POST', route: '/v1/jobs', body: jobBody(`bench-fresh-${i}`) }, 201)).tally);
      const key = `bench-${Date.now()}-${i}`;
      const body = jobBody(`bench-keyed-${i}`);
      const created = await call({ method: 'POST', route: '/v1/jobs', headers: { 'idempotency-key': key }, body }, 201);
      record(kinds.withIdempotencyKey, created.tally);
      keyed.push({ key, jobId: created.body.id, body });
    }
    for (const { key, jobId, body } of keyed) {
      const replay = await call({ method: 'POST', route: '/v1/jobs', headers: { 'idempotency-key': key }, body }, 201);
      if (replay.body.id !== jobId || replay.headers['idempotent-replayed'] !== 'true') {
        throw new Error(
          `idempotent replay returned job ${replay.body.id} (replayed=${replay.headers['idempotent-replayed']}), expected ${jobId}`,
        );
      }
      record(kinds.idempotentReplay, replay.tally);
    }

    // The other request paths, for the "no Scan on any request path" check (and their own counts).
    const target = keyed[0]?.jobId ?? warm.body.id;
    const others = {
      getJob: (await call({ method: 'GET', route: '/v1/jobs/{id}', params: { id: target } }, 200)).tally,
      listJobs: (await call({ method: 'GET', route: '/v1/jobs', query: 'limit=20' }, 200)).tally,
      getJobLogs: (
        await invoke(logsHandler, counter, { method: 'GET', route: '/v1/jobs/{id}/logs', params: { id: target } }, principal, 200)
      ).tally,
      cancelJob: (await call({ method: 'POST', route: '/v1/jobs/{id}/cancel', params: { id: target } }, 200)).tally,
    };

    const worst = (kind: Kind): number => Math.max(...kind.roundTrips);
    const submitWorst = Math.max(worst(kinds.fresh), worst(kinds.withIdempotencyKey), worst(kinds.idempotentReplay));
    const scans = counter.allCommands.ScanCommand ?? 0;
    const submit = {
      samplesPerKind: SAMPLES,
      fresh: worst(kinds.fresh),
      withIdempotencyKey: worst(kinds.withIdempotencyKey),
      idempotentReplay: worst(kinds.idempotentReplay),
      // Round trips that could not overlap another; the budget counts these (docs/budgets.md: "sequential").
      sequential: {
        fresh: Math.max(...kinds.fresh.sequential),
        withIdempotencyKey: Math.max(...kinds.withIdempotencyKey.sequential),
        idempotentReplay: Math.max(...kinds.idempotentReplay.sequential),
      },
      commands: {
        fresh: perRequest(kinds.fresh, SAMPLES),
        withIdempotencyKey: perRequest(kinds.withIdempotencyKey, SAMPLES),
        idempotentReplay: perRequest(kinds.idempotentReplay, SAMPLES),
      },
      warmUpSubmit: { roundTrips: warm.tally.roundTrips, commands: warm.tally.commands },
      budget: SUBMIT_ROUND_TRIP_BUDGET,
      withinBudget: submitWorst <= SUBMIT_ROUND_TRIP_BUDGET,
    };
    return {
      method:
        'jobs handler (createJobsHandler) invoked in-process with payload 2.0 events; DynamoDB Local; SDK middleware at finalizeRequest (after retries) counts each request on the wire; figures are the worst sample per kind',
      submit,
      otherPaths: Object.fromEntries(Object.entries(others).map(([name, t]) => [name, { roundTrips: t.roundTrips, commands: t.commands }])),
      commandsSeen: counter.allCommands,
      scans,
      allWithinBudget: submit.withinBudget && scans === 0,
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

const newKind = (): Kind => ({ roundTrips: [], sequential: [], commands: {} });

function record(kind: Kind, tally: RequestTally): void {
  kind.roundTrips.push(tally.roundTrips);
  kind.sequential.push(tally.sequential);
  addCommands(kind.commands, tally.commands);
}

/** Average count of each command per request of this kind. */
function perRequest(kind: Kind, samples: number): Record<string, number> {
  return Object.fromEntries(Object.entries(kind.commands).map(([name, count]) => [name, count / samples]));
}

interface Invocation {
  tally: RequestTally;
  body: { id: string } & Record<string, unknown>;
  headers: Record<string, string>;
}

async function invoke(
  handler: ApiHandler,
  counter: DynamoRequestCounter,
  request: FakeRequest,
  principal: Principal,
  expectStatus: number,
): Promise<Invocation> {
  const event = fakeApiEvent(request, principal);
  const { result, tally } = await counter.measure(() => handler(event, fakeLambdaContext()));
  if (result.statusCode !== expectStatus) {
    throw new Error(
      `${request.method} ${request.route} answered ${result.statusCode}, expected ${expectStatus}: ${String(result.body).slice(0, 500)}`,
    );
  }
  const body = (result.body ? JSON.parse(result.body) : {}) as Invocation['body'];
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { tally, body, headers };
}
