import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalogHandler } from '#functions/api/catalog/catalog.app';
import { createJobsHandler } from '#functions/api/jobs/jobs.app';
import { createExplainHandler } from '#functions/api/explain/explain.app';
import { createQuotasHandler } from '#functions/api/quotas/quotas.app';
import { fakeApiEvent, fakeLambdaContext, type FakeRequest } from '#scripts/bench/api-event';
import { DEMO_FLEETS, DEMO_HARDWARE } from '#scripts/local/seed';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoLimitsSource } from '#adapters/dynamodb/dynamo-limits.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoUsageRepository } from '#adapters/dynamodb/dynamo-usage.repository';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { systemClock, ulidSource } from '#adapters/runtime/system-runtime';
import type { Principal } from '#domain/authz/principal';
import { createTestTable } from '#test-support/integration-env';
import { researcher } from '#test-support/job-fixtures';
import { MemoryAuditLog, seedScopes } from '#test-support/quota-fixtures';

/** The quotas, catalog and explain routes through the real middy chain, against DynamoDB Local. */
type Handler = (event: ReturnType<typeof fakeApiEvent>, context: ReturnType<typeof fakeLambdaContext>) => Promise<unknown>;
let call: (handler: Handler, request: FakeRequest, principal: Principal) => Promise<{ status: number; body: any }>;
let quotasApi: Handler;
let catalogApi: Handler;
let jobsApi: Handler;
let explainApi: Handler;
const audit = new MemoryAuditLog();
const admin = researcher('ada', { level: 'admin' });
/** Deployment-wide settings (global limits, the hardware catalog) are changed by platform admins only. */
const platformAdmin = researcher('pat', { level: 'admin', platformAdmin: true });
const rae = researcher('rae');
const spec = { name: 'train', image: 'busybox', command: ['true'], hardwareType: 'gpu-a10g-1x', maxRuntimeMinutes: 60 };

beforeAll(async () => {
  const table = await createTestTable();
  const hardware = new DynamoHardwareCatalog(table.doc, table.tableName, 0);
  for (const hw of DEMO_HARDWARE) await hardware.put(hw);
  const quotas = new DynamoQuotaRepository(table.doc, table.tableName, 0);
  const limits = new DynamoLimitsSource(table.doc, table.tableName, { maxConcurrent: 10, userMaxConcurrent: 5 }, 0);
  const jobs = new DynamoJobRepository(table.doc, table.tableName);
  const common = { jobs, quotas, limits, events: new InProcessEventBus(), clock: systemClock, ids: ulidSource() };
  const scopes = await seedScopes(table, 'acme', { teams: ['vision'], users: ['rae'] });
  quotasApi = createQuotasHandler({ ...common, ...scopes, usage: new DynamoUsageRepository(table.doc, table.tableName), audit });
  const fleets = new DynamoFleetDirectory(table.doc, table.tableName);
  for (const fleet of DEMO_FLEETS) await fleets.put(fleet);
  catalogApi = createCatalogHandler({ catalog: hardware, fleets, audit });
  jobsApi = createJobsHandler({
    ...common,
    hardware,
    backends: ['ecs'],
    retentionDays: 90,
    scheduling: new DynamoSchedulingSettings(table.doc, table.tableName, 0),
  });
  explainApi = createExplainHandler({ ...common, hardware, fleets, backends: ['ecs'] });
  call = async (handler, request, principal) => {
    const result = (await handler(fakeApiEvent(request, principal), fakeLambdaContext())) as { statusCode: number; body?: string };
    return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
  };
});

describe('quotas API (real handlers, DynamoDB Local)', () => {
  it('lets an admin set ceilings, refuses a team quota above the org ceiling (400 on body.limit), and audits changes', async () => {
    const org = await call(
      quotasApi,
      { method: 'POST', route: '/v1/quotas', body: { metric: 'concurrent_jobs', scopeType: 'org', limit: 100 } },
      admin,
    );
    expect(org.status).toBe(201);
    const tooHigh = await call(
      quotasApi,
      { method: 'POST', route: '/v1/quotas', body: { metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 101 } },
      admin,
    );
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.error.details.fields[0].field).toBe('body.limit');
    for (const body of [
      { metric: 'concurrent_jobs', scopeType: 'team', scopeId: 'vision', limit: 20 },
      { metric: 'concurrent_jobs', scopeType: 'user', scopeId: 'rae', limit: 50 },
    ]) {
      expect((await call(quotasApi, { method: 'POST', route: '/v1/quotas', body }, admin)).status).toBe(201);
    }
    expect(audit.entries.filter((e) => e.action === 'quota.create')).toHaveLength(3);
    const missingPeriod = await call(
      quotasApi,
      { method: 'POST', route: '/v1/quotas', body: { metric: 'gpu_hours', scopeType: 'org', limit: 5 } },
      admin,
    );
    expect(missingPeriod.status).toBe(400);
    expect(missingPeriod.body.error.details.fields[0].field).toBe('body.period');
  });

  it("refuses a researcher's quota change with 403 and shows them their effective headroom (20)", async () => {
    const denied = await call(
      quotasApi,
      { method: 'POST', route: '/v1/quotas', body: { metric: 'concurrent_jobs', scopeType: 'org', limit: 1 } },
      rae,
    );
    expect(denied.status).toBe(403);
    const limits = await call(quotasApi, { method: 'GET', route: '/v1/me/limits' }, rae);
    expect(limits.status).toBe(200);
    const effective = limits.body.effective.find((e: { metric: string }) => e.metric === 'concurrent_jobs');
    expect(effective.headroom).toBe(5); // user_max_concurrent 5 is tighter than the team's 20
    expect(
      limits.body.limits
        .filter((l: { source: string }) => l.source === 'quota')
        .map((l: { limit: number }) => l.limit)
        .sort((a: number, b: number) => a - b),
    ).toEqual([20, 50, 100]);
  });

  it('sets the concurrency limits only as a platform admin (they bind every org)', async () => {
    const request: FakeRequest = { method: 'PUT', route: '/v1/settings/limits', body: { maxConcurrent: 50, userMaxConcurrent: 30 } };
    for (const caller of [rae, admin]) {
      const refused = await call(quotasApi, request, caller);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toMatchObject({ permission: 'platform.config' });
    }
    expect((await call(quotasApi, { method: 'GET', route: '/v1/settings/limits' }, admin)).body).toEqual({
      maxConcurrent: 10,
      userMaxConcurrent: 5,
    });
    const set = await call(quotasApi, request, platformAdmin);
    expect(set.body).toEqual({ maxConcurrent: 50, userMaxConcurrent: 30 });
    const limits = await call(quotasApi, { method: 'GET', route: '/v1/me/limits' }, rae);
    expect(limits.body.effective.find((e: { metric: string }) => e.metric === 'concurrent_jobs').headroom).toBe(20);
  });

  it('explains a submission without writing it', async () => {
    const explained = await call(explainApi, { method: 'POST', route: '/v1/jobs/explain', body: spec }, rae);
    expect(explained.status).toBe(200);
    expect(explained.body.verdict).toBe('admit');
    expect(explained.body.estimate.costUsd).toBe(1.01);
    expect(explained.body.placement).toEqual({
      backend: 'ecs',
      fleet: 'g5',
      instanceType: 'g5.xlarge',
      purchase: 'spot-with-on-demand-fallback',
      firstLaunch: 'spot',
      note: 'Runs on Spot first on ECS fleet "g5" (g5.xlarge); if the Spot instance is reclaimed, or no Spot capacity comes within 30 minutes, it is queued again once and runs On-Demand (first launch: Spot)',
    });
    const onDemand = await call(
      explainApi,
      { method: 'POST', route: '/v1/jobs/explain', body: { ...spec, hardwareType: 'gpu-a100-8x' } },
      rae,
    );
    expect(onDemand.body.placement).toMatchObject({ fleet: 'p4d', purchase: 'on-demand', firstLaunch: 'on-demand' });
    const listed = await call(jobsApi, { method: 'GET', route: '/v1/jobs' }, rae);
    expect(listed.body.items).toHaveLength(0);
  });

  it('reads usage for my own scope, and hides other scopes as not found', async () => {
    const mine = await call(quotasApi, { method: 'GET', route: '/v1/usage', query: 'from=2026-11-01&to=2026-11-30' }, rae);
    expect(mine.status).toBe(200);
    expect(mine.body.scopeId).toBe('rae');
    const org = await call(quotasApi, { method: 'GET', route: '/v1/usage', query: 'scopeType=org&from=2026-11-01&to=2026-11-30' }, rae);
    expect(org.status).toBe(404);
    const bad = await call(quotasApi, { method: 'GET', route: '/v1/usage', query: 'from=2026-02-30&to=2026-03-01' }, rae);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('query.from');
  });
});

describe('hardware catalog API', () => {
  it('lists the catalog for everyone, lets only platform admins change it, and disables softly', async () => {
    const list = await call(catalogApi, { method: 'GET', route: '/v1/hardware' }, rae);
    expect(list.body.items.map((h: { id: string }) => h.id)).toContain('gpu-a10g-1x');
    const body = { gpuModel: 'NVIDIA H100', gpuCount: 8, vcpu: 192, memoryMiB: 2_097_152, pricePerHourUsd: 98.32, enabled: true };
    for (const caller of [rae, admin]) {
      expect(
        (await call(catalogApi, { method: 'PUT', route: '/v1/hardware/{id}', params: { id: 'gpu-h100-8x' }, body }, caller)).status,
      ).toBe(403);
      expect((await call(catalogApi, { method: 'DELETE', route: '/v1/hardware/{id}', params: { id: 'gpu-a10g-1x' } }, caller)).status).toBe(
        403,
      );
    }
    const put = await call(catalogApi, { method: 'PUT', route: '/v1/hardware/{id}', params: { id: 'gpu-h100-8x' }, body }, platformAdmin);
    expect(put.status).toBe(200);
    const bad = await call(
      catalogApi,
      { method: 'PUT', route: '/v1/hardware/{id}', params: { id: 'gpu-h100-8x' }, body: { ...body, gpuCount: -1 } },
      platformAdmin,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('body.gpuCount');
    const disabled = await call(catalogApi, { method: 'DELETE', route: '/v1/hardware/{id}', params: { id: 'gpu-h100-8x' } }, platformAdmin);
    expect(disabled.body.enabled).toBe(false);
    const visible = await call(catalogApi, { method: 'GET', route: '/v1/hardware' }, rae);
    expect(visible.body.items.map((h: { id: string }) => h.id)).not.toContain('gpu-h100-8x');
    const submit = await call(jobsApi, { method: 'POST', route: '/v1/jobs', body: { ...spec, hardwareType: 'gpu-h100-8x' } }, rae);
    expect(submit.status).toBe(422);
  });

  it('refuses an ECS placement that names an undeployed fleet or does not fit its instance type, naming the field', async () => {
    const a10g = { gpuModel: 'NVIDIA A10G', gpuCount: 1, vcpu: 4, memoryMiB: 15_360, pricePerHourUsd: 1.006, enabled: true };
    const put = (body: object) =>
      call(catalogApi, { method: 'PUT', route: '/v1/hardware/{id}', params: { id: 'gpu-a10g-x' }, body }, platformAdmin);
    const noFleet = await put({ ...a10g, ecs: { fleet: 'h100' } });
    expect(noFleet.status).toBe(400);
    expect(noFleet.body.error.details.fields).toEqual([
      {
        field: 'body.ecs.fleet',
        message: 'hardware type "gpu-a10g-x" names fleet "h100", which this stage does not deploy (fleets: g5, g6e, p4d)',
      },
    ]);
    const tooBig = await put({ ...a10g, gpuCount: 4, memoryMiB: 65_536, ecs: { fleet: 'g5', instanceType: 'g5.xlarge' } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['body.gpuCount', 'body.memoryMiB']);
    expect((await call(catalogApi, { method: 'GET', route: '/v1/hardware/{id}', params: { id: 'gpu-a10g-x' } }, rae)).status).toBe(404);
    const fits = await put({ ...a10g, ecs: { fleet: 'g5', instanceType: 'g5.xlarge' } });
    expect(fits.status).toBe(200);
  });
});
