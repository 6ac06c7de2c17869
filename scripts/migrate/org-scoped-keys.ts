import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as keys from '#adapters/dynamodb/table-keys';
import { withoutKeys } from '#adapters/dynamodb/keys';
import { jobSchema, type Job } from '#domain/jobs/job.schema';
import type { Hold } from '#domain/quotas/counters';
import { scanPages } from '#adapters/dynamodb/query-all';
import {
  isLegacyOwnerIndex,
  newCounterId,
  newUsageCounterId,
  ownOrg,
  parseLegacyCounter,
  parseLegacyUsage,
  rebuildTeamCounter,
  rebuildTeamUsage,
  type LegacyScope,
} from './legacy-keys';

/**
 * Moves data written before counters, usage records and the owner index named the org
 * (docs/quotas.md, "Keys name the org"). Idempotent: a marker item records completion, and every step is a
 * conditional transaction that re-checks what it read, so a run that stops half-way is simply run again.
 *
 * 1. Each job: its owner-index key and the counter ids of its holds are rewritten with its org, and in the
 *    same transaction each hold's amount moves from the legacy counter to the new one (sums stay exact).
 * 2. What is left in legacy counters and usage records (settled budgets, daily counts, usage) moves to the
 *    org the scope belongs to: org and backend scopes named it, a user has one org, a team slug found in one
 *    org belongs to it. A team slug found in several orgs is the collision this fixes: its records are
 *    rebuilt per org from the ended jobs still stored (jobs removed by retention cannot be attributed).
 */
export const MIGRATION_ID = 'org-scoped-keys';

export interface MigrationReport {
  skipped: boolean;
  jobsRewritten: number;
  recordsMoved: number;
  recordsRebuilt: number;
  /** Legacy records whose scope belongs to no known org: left in place, named here. */
  unattributed: string[];
}

type Item = Record<string, unknown>;

async function scanAll(doc: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of scanPages(doc, { TableName: tableName, ConsistentRead: true })) {
    items.push(...(page.Items ?? []));
  }
  return items;
}

const isJob = (item: Item) => String(item.pk).startsWith('JOB#') && item.sk === 'JOB';
const readJob = (item: Item): Job => jobSchema.parse(withoutKeys(item));

/** Every org a team slug or user id is known in: teams and profiles first, then the jobs that name it. */
function orgDirectory(items: readonly Item[], jobs: readonly Job[]) {
  const teams = new Map<string, Set<string>>();
  const users = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, id: string, org: string) => map.set(id, (map.get(id) ?? new Set()).add(org));
  for (const item of items) {
    if (String(item.pk).startsWith('ORG#') && String(item.sk).startsWith('TEAM#')) add(teams, String(item.sk).slice(5), String(item.orgId));
    if (String(item.pk).startsWith('USER#') && item.sk === 'PROFILE') add(users, String(item.id), String(item.orgId));
  }
  for (const job of jobs) {
    if (job.teamId && !teams.has(job.teamId)) add(teams, job.teamId, job.orgId);
    if (!users.has(job.ownerId)) add(users, job.ownerId, job.orgId);
  }
  return (scope: LegacyScope): string[] => {
    const own = ownOrg(scope);
    if (own) return [own];
    return [...((scope.type === 'team' ? teams : users).get(scope.id) ?? [])];
  };
}

async function transact(doc: DynamoDBDocumentClient, items: NonNullable<TransactWriteCommandInput['TransactItems']>): Promise<boolean> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/** An `ADD` of every numeric field (and the legacy expiry) onto the org-qualified item. */
function addTo(tableName: string, key: Item, fields: Record<string, number>, expiresAt?: unknown) {
  const entries = Object.entries(fields).filter(([, amount]) => amount !== 0);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = entries.map(([field, amount], i) => {
    names[`#f${i}`] = field;
    values[`:a${i}`] = amount;
    return `#f${i} :a${i}`;
  });
  let expression = adds.length ? `ADD ${adds.join(', ')}` : '';
  if (typeof expiresAt === 'number') {
    names['#e'] = 'expiresAt';
    values[':e'] = expiresAt;
    expression += ' SET #e = if_not_exists(#e, :e)';
  }
  if (!expression) return undefined;
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: expression.trim(),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Step 1 for one job; false when the job changed under us (the caller re-reads and retries). */
async function rewriteJob(doc: DynamoDBDocumentClient, tableName: string, job: Job, counters: Map<string, Item>): Promise<boolean> {
  const moves: { from: string; to: string; amount: number }[] = [];
  const holds: Hold[] = job.holds.map((hold) => {
    const legacy = parseLegacyCounter(hold.counter);
    if (!legacy) return hold;
    const to = newCounterId(legacy.prefix, legacy.scope, job.orgId);
    moves.push({ from: hold.counter, to, amount: hold.amount });
    return { ...hold, counter: to };
  });
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Update: {
        TableName: tableName,
        Key: keys.job(job.id),
        UpdateExpression: 'SET gsi1pk = :owner, holds = :holds',
        ConditionExpression: '#state = :state AND #version = :version',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
        ExpressionAttributeValues: {
          ':owner': keys.ownerJobsPartition(job.orgId, job.ownerId),
          ':holds': holds,
          ':state': job.state,
          ':version': job.version,
        },
      },
    },
  ];
  for (const move of moves) {
    const add = addTo(tableName, keys.counter(move.to), { value: move.amount }, counters.get(move.from)?.expiresAt);
    if (add) items.push(add);
    items.push({
      Update: {
        TableName: tableName,
        Key: keys.counter(move.from),
        UpdateExpression: 'ADD #v :a',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':a': -move.amount },
      },
    });
  }
  return transact(doc, items);
}

const numericFields = (item: Item): Record<string, number> =>
  Object.fromEntries(Object.entries(item).filter(([name, value]) => typeof value === 'number' && name !== 'expiresAt')) as Record<
    string,
    number
  >;

/** Deletes the legacy item only if it still holds what was read, in the transaction that moves it. */
function deleteUnchanged(tableName: string, item: Item) {
  const fields = numericFields(item);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions = Object.entries(fields).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#f${i} = :v${i}`;
  });
  return {
    Delete: {
      TableName: tableName,
      Key: { pk: item.pk, sk: item.sk },
      ConditionExpression: ['attribute_exists(pk)', ...conditions].join(' AND '),
      ...(conditions.length ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {}),
    },
  };
}

export async function migrateToOrgScopedKeys(doc: DynamoDBDocumentClient, tableName: string): Promise<MigrationReport> {
  const report: MigrationReport = { skipped: false, jobsRewritten: 0, recordsMoved: 0, recordsRebuilt: 0, unattributed: [] };
  const marker = keys.migration(MIGRATION_ID);
  if ((await doc.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }))).Item)
    return { ...report, skipped: true };

  // Step 1: jobs and their holds.
  const before = await scanAll(doc, tableName);
  const counters = new Map(before.filter((i) => String(i.pk).startsWith('COUNTER#')).map((i) => [String(i.pk).slice(8), i]));
  for (const item of before.filter(isJob)) {
    let current: Item | undefined = item;
    for (let attempt = 0; current; attempt += 1) {
      const job = readJob(current);
      if (!isLegacyOwnerIndex(current.gsi1pk) && !job.holds.some((h) => parseLegacyCounter(h.counter))) break;
      if (await rewriteJob(doc, tableName, job, counters)) {
        report.jobsRewritten += 1;
        break;
      }
      if (attempt === 4) {
        report.unattributed.push(`${String(item.pk)} (changed during the migration: run it again)`);
        break;
      }
      current = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.job(job.id), ConsistentRead: true }))).Item;
    }
  }

  // Step 2: what remains in legacy counters and usage records.
  const after = await scanAll(doc, tableName);
  const jobs = after.filter(isJob).map(readJob);
  const orgsOf = orgDirectory(after, jobs);
  for (const item of after) {
    const pk = String(item.pk);
    const counter = pk.startsWith('COUNTER#') ? parseLegacyCounter(pk.slice(8)) : undefined;
    const usage = parseLegacyUsage(pk);
    const scope = counter?.scope ?? usage;
    if (!scope) continue;
    const day = String(item.sk).slice(4);
    const target = (orgId: string) =>
      keys.counter(counter ? newCounterId(counter.prefix, scope, orgId) : newUsageCounterId(scope, orgId, day));
    const orgs = orgsOf(scope);
    if (orgs.length === 0) {
      report.unattributed.push(`${pk} ${String(item.sk)}`);
      continue;
    }
    const writes = orgs.map((orgId) => {
      const fields =
        orgs.length === 1
          ? numericFields(item)
          : counter
            ? { value: rebuildTeamCounter(counter.prefix, orgId, scope.id, jobs) }
            : rebuildTeamUsage(day, orgId, scope.id, jobs);
      return addTo(tableName, target(orgId), fields, item.expiresAt);
    });
    if (await transact(doc, [...writes.filter((w) => w !== undefined), deleteUnchanged(tableName, item)])) {
      if (orgs.length === 1) report.recordsMoved += 1;
      else report.recordsRebuilt += 1;
    } else {
      report.unattributed.push(`${pk} ${String(item.sk)} (changed during the migration: run it again)`);
    }
  }
  if (report.unattributed.length === 0) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...marker, at: new Date().toISOString(), ...report } }));
  }
  return report;
}
