import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoSchedulingSettings } from '#adapters/dynamodb/dynamo-scheduling-settings.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DynamoQuotaRepository } from '#adapters/dynamodb/dynamo-quota.repository';
import { DynamoUsageRepository } from '#adapters/dynamodb/dynamo-usage.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { InProcessEventBus } from '#adapters/events/in-process-bus.client';
import { ulidSource } from '#adapters/runtime/system-runtime';
import { DEMO_HARDWARE } from '#scripts/local/seed';
import { migrateToOrgScopedKeys } from '#scripts/migrate/org-scoped-keys';
import { endJob } from '#domain/job-flow/job-ending';
import { transition } from '#domain/jobs/job-lifecycle';
import type { Job } from '#domain/jobs/job.schema';
import { submitJob } from '#domain/job-flow/submit-job.service';
import { usageReport } from '#domain/quotas/usage.service';
import { createTestTable } from '#test-support/integration-env';
import { manualClock, researcher, spec } from '#test-support/job-fixtures';
import { quota, seedScopes } from '#test-support/quota-fixtures';

type Item = Record<string, unknown>;

async function scan(doc: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  return (await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
}

/** `ORG#acme#TEAM#vision` → `team:vision` (backend: `backend:acme/local`): the scope as the old code named it. */
function legacyScope(scopeKey: string): { type: string; id: string } {
  const [, org, type, id] = /^ORG#([^#]+)(?:#([A-Z]+)#(.+))?$/.exec(scopeKey)!;
  if (!type) return { type: 'org', id: org! };
  return { type: type.toLowerCase(), id: type === 'BACKEND' ? `${org}/${id}` : id! };
}
const legacyCounterId = (id: string) =>
  id.replace(/ORG#[^:]+$/, (scopeKey) => {
    const scope = legacyScope(scopeKey);
    return `${scope.type}:${scope.id}`;
  });

/**
 * Rewrites the table as the code before org-qualified keys would have left it: counters and usage records
 * of the same team slug in two orgs added into one item, holds and the owner index without the org.
 */
async function legacify(doc: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const merged = new Map<string, Item>();
  for (const item of await scan(doc, tableName)) {
    const pk = String(item.pk);
    let legacy: Item | undefined;
    // Fair-share and run-history records were org-scoped from the start: nothing legacy to make of them.
    if (/^COUNTER#.+:ORG#/.test(pk) && !pk.startsWith('COUNTER#fairshare:') && !pk.startsWith('COUNTER#runtime:'))
      legacy = { ...item, pk: `COUNTER#${legacyCounterId(pk.slice(8))}` };
    if (pk.startsWith('USAGE#ORG#')) {
      const scope = legacyScope(pk.slice(6));
      legacy = { ...item, pk: `USAGE#${scope.type}#${scope.id}` };
    }
    if (pk.startsWith('JOB#') && item.sk === 'JOB') {
      const holds = (item.holds as Job['holds']).map((h) => ({ ...h, counter: legacyCounterId(h.counter) }));
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...item, holds, gsi1pk: `USER#${String(item.ownerId)}#JOBS` } }));
    }
    if (!legacy) continue;
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
    const key = `${String(legacy.pk)}|${String(legacy.sk)}`;
    const into = merged.get(key) ?? { pk: legacy.pk, sk: legacy.sk };
    for (const [field, value] of Object.entries(legacy)) {
      if (typeof value === 'number' && field !== 'expiresAt') into[field] = Number(into[field] ?? 0) + value;
      else if (!(field in into)) into[field] = value;
    }
    merged.set(key, into);
  }
  for (const item of merged.values()) await doc.send(new PutCommand({ TableName: tableName, Item: item }));
}

/** Every counter and usage record, by key: the numbers only. */
async function countersAndUsage(doc: DynamoDBDocumentClient, tableName: string): Promise<Record<string, Record<string, number>>> {
  const result: Record<string, Record<string, number>> = {};
  for (const item of await scan(doc, tableName)) {
    if (!/^(COUNTER|USAGE)#/.test(String(item.pk))) continue;
    const numbers = Object.entries(item).filter(([f, v]) => typeof v === 'number' && f !== 'expiresAt' && v !== 0);
    if (numbers.length) result[`${String(item.pk)}|${String(item.sk)}`] = Object.fromEntries(numbers) as Record<string, number>;
  }
  return result;
}

describe('migration to org-qualified counter, usage and index keys (DynamoDB Local)', () => {
  it('moves exact values, rebuilds a team slug shared by two orgs per org from its jobs, and runs once', async () => {
    const table = await createTestTable();
    const { doc, tableName } = table;
    const jobs = new DynamoJobRepository(doc, tableName);
    const hardware = new DynamoHardwareCatalog(doc, tableName);
    for (const hw of DEMO_HARDWARE) await hardware.put(hw);
    const quotas = new DynamoQuotaRepository(doc, tableName, 0);
    for (const orgId of ['acme', 'globex']) {
      await quotas.put(quota({ orgId, metric: 'gpu_hours', period: 'day', scopeType: 'team', scopeId: 'vision', limit: 100 }));
      await quotas.put(quota({ orgId, metric: 'daily_jobs', scopeType: 'team', scopeId: 'vision', limit: 100 }));
      await quotas.put(quota({ orgId, metric: 'cost_usd', period: 'month', scopeType: 'backend', scopeId: 'local', limit: 100 }));
    }
    for (const [orgId, teamId] of [
      ['acme', 'vision'],
      ['globex', 'vision'],
    ] as const) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.team(orgId, teamId), id: teamId, orgId } }));
    }
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const deps = {
      jobs,
      hardware,
      quotas,
      limits: { current: async () => ({ maxConcurrent: 100, userMaxConcurrent: 50 }) },
      events: new InProcessEventBus(),
      clock,
      ids: ulidSource(),
      dispatch: { send: async () => undefined },
      backends: ['local'] as const,
      retentionDays: 90,
      scheduling: new DynamoSchedulingSettings(doc, tableName, 0),
      usage: new DynamoUsageRepository(doc, tableName),
    };
    const run = async (job: Job): Promise<Job> => {
      const at = clock.now().toISOString();
      const starting = transition((await jobs.get(job.id))!, 'starting', at);
      await jobs.save(starting, 'admitted');
      const running = transition(starting, 'running', at, { startedAt: at, runRef: `local:${job.id}` });
      await jobs.save(running, 'starting');
      return running;
    };
    const submit = async (userId: string, orgId: string, minutes: number) =>
      (await submitJob({ principal: researcher(userId, { orgId }), spec: spec({ maxRuntimeMinutes: minutes }) }, deps)).job;

    const acmeLive = await run(await submit('rae', 'acme', 60));
    const acmeDone = await run(await submit('rae', 'acme', 120));
    const globexDone = await run(await submit('gia', 'globex', 60));
    const globexLive = await run(await submit('gia', 'globex', 90));
    clock.advance(30 * 60_000);
    await endJob(acmeDone, 'succeeded', { exitCode: 0 }, deps);
    clock.advance(15 * 60_000);
    await endJob(globexDone, 'failed', { exitCode: 1 }, deps);

    const expected = await countersAndUsage(doc, tableName);
    expect(Object.keys(expected)).toContain('USAGE#ORG#globex#TEAM#vision|DAY#2026-11-22');
    await legacify(doc, tableName);
    expect(Object.keys(await countersAndUsage(doc, tableName))).toContain('USAGE#team#vision|DAY#2026-11-22');
    expect((await jobs.listByOwner('acme', 'rae', { limit: 5 })).items).toHaveLength(0); // the owner index is legacy now

    const report = await migrateToOrgScopedKeys(doc, tableName);
    expect(report).toMatchObject({ skipped: false, jobsRewritten: 4, unattributed: [] });
    expect(report.recordsRebuilt).toBeGreaterThan(0); // the shared `vision` records
    expect(await countersAndUsage(doc, tableName)).toEqual(expected);
    expect((await jobs.listByOwner('acme', 'rae', { limit: 5 })).items.map((j) => j.id).sort()).toEqual([acmeLive.id, acmeDone.id].sort());
    const holds = (await jobs.get(acmeLive.id))!.holds.map((h) => h.counter).filter((c) => !c.startsWith('concurrency:global'));
    expect(holds.length).toBeGreaterThan(3);
    expect(holds.every((c) => c.includes(':ORG#acme'))).toBe(true);

    const teamQuery = { scopeType: 'team' as const, scopeId: 'vision', from: '2026-11-22', to: '2026-11-22' };
    // Leads of `vision` read it without a lookup (their teams are their org's); the sources are there for admins.
    const usageDeps = { ...deps, ...(await seedScopes({ doc, tableName }, 'acme', {})) };
    expect((await usageReport(researcher('lin', { level: 'lead' }), teamQuery, usageDeps)).total).toMatchObject({ jobs: 1, gpuHours: 0.5 });
    const globexLead = researcher('gwen', { level: 'lead', orgId: 'globex' });
    expect((await usageReport(globexLead, teamQuery, usageDeps)).total).toMatchObject({ jobs: 1, gpuHours: 0.75 });

    // The migrated jobs release what they hold into the new counters: concurrency back to zero.
    await endJob((await jobs.get(acmeLive.id))!, 'succeeded', { exitCode: 0 }, deps);
    await endJob((await jobs.get(globexLive.id))!, 'succeeded', { exitCode: 0 }, deps);
    const after = await countersAndUsage(doc, tableName);
    expect(Object.keys(after).filter((k) => k.startsWith('COUNTER#concurrent'))).toEqual([]);
    expect(Object.keys(after).some((k) => /#(team|user|org)#/.test(k) || /:(team|user|org|backend):/.test(k))).toBe(false);

    expect(await migrateToOrgScopedKeys(doc, tableName)).toMatchObject({ skipped: true });
  });
});
