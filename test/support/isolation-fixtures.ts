import { queuedJob } from '#test-support/job-fixtures';
import { ulid } from 'ulid';
import * as keys from '#adapters/dynamodb/table-keys';
import { clusterSchema } from '#domain/clusters/cluster.schema';
import { identityProviderSchema } from '#domain/identity/identity-provider.schema';
import { jobSpecSchema } from '#domain/jobs/job.schema';
import { ORGS, TEAMS, type AuthzWorld } from './authz-world';
import { scanPages } from '#adapters/dynamodb/query-all';

/**
 * Two tenants for the isolation suite: org A (`acme`) is the victim, org B (`globex`) the attacker. Both have
 * a team `vision` (team slugs are unique per org only: the colliding slug). Everything stored in org A
 * carries `VICTIM_MARKER`, so a response that leaks it to org B shows up.
 */
export const VICTIM = ORGS.acme;
export const ATTACKER = ORGS.globex;
/** The slug both orgs use for a team. */
export const COLLIDING_TEAM = TEAMS.vision;
/** A team only org A has. */
export const VICTIM_ONLY_TEAM = TEAMS.nlp;
export const VICTIM_MARKER = 'ACME-PRIVATE';

/** Callers: org B's admin attacks; org A's admin (and the owner of org A's objects) run the controls. */
export const CALLERS = {
  attacker: 'iso-b-admin',
  /** A user of org B, whom org B's admin may change (so a refusal is about org A's object, not about rank or self). */
  attackerPeer: 'iso-b-member',
  victimAdmin: 'iso-a-admin',
  platform: 'iso-platform',
} as const;
/** Who runs a control: one of the callers, or `owner`, the org A user who owns the route's objects. */
export type Caller = keyof typeof CALLERS | 'owner';

/** Org A's objects one route's attempts aim at: fresh for every route, so no route's control disturbs another's. */
export interface VictimObjects {
  org: string;
  team: string;
  otherTeam: string;
  user: string;
  job: string;
  template: string;
  rule: string;
  /** An approval rule of org A, and a pending approval request of org A (with its held job). */
  approvalRule: string;
  approval: string;
  level: string;
  quota: string;
  apiKey: string;
  provider: string;
  channel: string;
  /** A registered cluster only org A may use (deployment-wide object, org-visible). */
  cluster: string;
}

const at = () => new Date().toISOString();

/** The people and the colliding team, once per world. */
export async function seedTenants(world: AuthzWorld): Promise<void> {
  await world.access.tenancy.createTeam({
    schemaVersion: 1,
    id: COLLIDING_TEAM,
    slug: COLLIDING_TEAM,
    orgId: ATTACKER,
    name: 'Globex vision',
    status: 'active',
    createdAt: at(),
  });
  await world.putUser({ id: CALLERS.attacker, orgId: ATTACKER, level: 'admin', teamIds: [TEAMS.robotics, COLLIDING_TEAM] });
  await world.putUser({ id: CALLERS.victimAdmin, orgId: VICTIM, level: 'admin', teamIds: [COLLIDING_TEAM, VICTIM_ONLY_TEAM] });
  await world.putUser({ id: CALLERS.attackerPeer, orgId: ATTACKER, level: 'researcher', teamIds: [COLLIDING_TEAM] });
  // A third org's platform admin: controls of platform-only routes, without being a member of either tenant.
  await world.putUser({ id: CALLERS.platform, orgId: 'initech', level: 'admin', platformAdmin: true });
  await restoreVictimTeams(world);
}

/** Org A's teams as the suite expects them (named with the marker, active): run again after a control changed one. */
export async function restoreVictimTeams(world: AuthzWorld): Promise<void> {
  for (const team of [COLLIDING_TEAM, VICTIM_ONLY_TEAM]) {
    await world.access.tenancy.updateTeam(VICTIM, team, { name: `${team} ${VICTIM_MARKER}`, status: 'active' }, at());
  }
  await world.access.tenancy.updateOrg(VICTIM, { name: `Acme ${VICTIM_MARKER}`, status: 'active' }, at());
}

/** Fresh objects of org A, each pointing at the colliding team where it names one. */
export async function seedVictimObjects(world: AuthzWorld): Promise<VictimObjects> {
  const now = at();
  const user = world.unique('iso-a-member');
  await world.putUser({ id: user, orgId: VICTIM, displayName: `${user} ${VICTIM_MARKER}`, teamIds: [COLLIDING_TEAM] });

  const job = ulid();
  const stored = await world.jobs.create(
    queuedJob({ id: job, orgId: VICTIM, ownerId: user, teamId: COLLIDING_TEAM, name: 'victim', note: VICTIM_MARKER, at: now }),
  );
  if (!stored.ok) throw new Error('victim job not stored');

  const template = world.unique('iso-a-tpl');
  const base = { schemaVersion: 1 as const, orgId: VICTIM, createdAt: now, updatedAt: now, version: 1 };
  await world.templates.save(
    {
      ...base,
      name: template,
      description: VICTIM_MARKER,
      ownerId: user,
      teamId: COLLIDING_TEAM,
      spec: { image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 },
    },
    0,
  );
  const rule = world.unique('isorule').replace(/-/g, '');
  await world.rules.save(
    {
      ...base,
      id: rule,
      type: 'hardware',
      pattern: 'zz-*',
      action: 'deny',
      teamId: COLLIDING_TEAM,
      description: VICTIM_MARKER,
      createdBy: 'seed',
    },
    0,
  );
  const approvalRule = world.unique('isoarule').replace(/-/g, '');
  await world.approvalRules.save(
    {
      ...base,
      id: approvalRule,
      scope: 'org',
      name: `rule ${VICTIM_MARKER}`,
      description: VICTIM_MARKER,
      condition: 'cost_exceeds',
      threshold: 50,
      priority: 0,
      enabled: true,
      required_approver_level: 'lead',
      exempt_levels: [],
      escalate_after_minutes: 240,
      expire_after_minutes: 1440,
      createdBy: 'seed',
    },
    0,
  );
  const approval = await holdVictimJob(world, user, approvalRule, now);
  const level = world.unique('iso-a-lvl');
  await world.access.levels.save({ ...base, name: level, description: VICTIM_MARKER, priority: 5, permissions: ['job.view.own'] }, 0);
  const quota = ulid();
  await world.quotas.put({
    schemaVersion: 1,
    id: quota,
    orgId: VICTIM,
    metric: 'daily_jobs',
    scopeType: 'team',
    scopeId: COLLIDING_TEAM,
    limit: 1_000,
    action: 'warn',
    description: VICTIM_MARKER,
    createdAt: now,
    updatedAt: now,
    updatedBy: 'seed',
  });
  const key = await world.call(user, 'createApiKey', {
    body: { name: `key ${VICTIM_MARKER}`, scopes: ['job.view.own'], expiresInDays: 30 },
  });
  if (key.status !== 201) throw new Error(`victim API key not created: ${key.text}`);
  const provider = world.unique('iso-a-idp');
  await world.providers.put(
    identityProviderSchema.parse({
      id: provider,
      type: 'oidc',
      displayName: `${VICTIM_MARKER} IdP`,
      defaultOrgId: VICTIM,
      groupMappings: [{ group: 'members', level: 'viewer', teamIds: [COLLIDING_TEAM] }],
      issuer: `https://${provider}.idp.example.test`,
      clientId: 'qm',
    }),
    { expectNew: true },
  );
  const channel = ulid();
  await world.notificationChannels.save(
    {
      ...base,
      id: channel,
      name: `${VICTIM_MARKER} alerts`,
      kind: 'webhook',
      enabled: true,
      webhookUrl: 'https://hooks.acme.example/qm',
      secretRef: await world.notificationSecrets.put(`notifications/${VICTIM}/${channel}`, JSON.stringify({ current: VICTIM_MARKER })),
      subscriptions: [{ events: ['job.*'], teamIds: [COLLIDING_TEAM] }],
      createdBy: 'seed',
    },
    0,
  );
  const cluster = world.unique('iso-a-k8s');
  await world.clusters.save(
    clusterSchema.parse({
      id: cluster,
      displayName: `${VICTIM_MARKER} cluster`,
      kind: 'generic',
      // Nothing listens there: health answers `unreachable`, which is still a 200 for org A's control.
      endpoint: 'https://127.0.0.1:9',
      caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      orgs: [{ orgId: VICTIM, namespaces: ['research'] }],
      hardware: { 'cpu-small': {} },
      createdBy: 'seed',
      createdAt: now,
      updatedAt: now,
      version: 1,
    }),
    0,
  );
  return {
    org: VICTIM,
    team: COLLIDING_TEAM,
    otherTeam: VICTIM_ONLY_TEAM,
    user,
    job,
    template,
    rule,
    approvalRule,
    approval,
    level,
    quota,
    apiKey: key.json.id,
    provider,
    channel,
    cluster,
  };
}

/** A job of org A that its rule holds for approval, stored with its pending request as a submission stores them. */
async function holdVictimJob(world: AuthzWorld, owner: string, ruleId: string, now: string): Promise<string> {
  const id = ulid();
  const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  const approval = {
    id,
    ruleId,
    ruleName: `rule ${VICTIM_MARKER}`,
    reason: VICTIM_MARKER,
    requiredLevel: 'lead',
    escalationLevel: 'admin',
    escalateAt: later(4),
    expireAt: later(24),
  };
  const job = ulid();
  const stored = await world.jobs.create(
    {
      schemaVersion: 1,
      id: job,
      orgId: VICTIM,
      ownerId: owner,
      ownerLevel: 'researcher',
      teamId: COLLIDING_TEAM,
      spec: jobSpecSchema.parse({ name: 'held', image: 'busybox', command: ['true'], hardwareType: 'gpu-a100-8x', maxRuntimeMinutes: 110 }),
      backend: 'local',
      state: 'pending_approval',
      waiting: { code: 'awaiting_approval', message: VICTIM_MARKER },
      priorityClass: 20,
      estimatedCostUsd: 60.08,
      gpuCount: 8,
      createdAt: now,
      updatedAt: now,
      history: [{ state: 'pending_approval', at: now }],
      holds: [],
      approval,
      version: 1,
    },
    undefined,
    [],
    {
      schemaVersion: 1,
      ...approval,
      orgId: VICTIM,
      jobId: job,
      jobName: 'held',
      requesterId: owner,
      requesterLevel: 'researcher',
      teamId: COLLIDING_TEAM,
      costUsd: 60.08,
      hardwareType: 'gpu-a100-8x',
      state: 'pending',
      createdAt: now,
      version: 1,
    },
  );
  if (!stored.ok) throw new Error('victim held job not stored');
  return id;
}

/** Every item of the test table, by key (it is this suite's own table, so a full scan is the whole state). */
export async function tableState(world: AuthzWorld): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for await (const page of scanPages(world.table.doc, { TableName: world.table.tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) state.set(`${item.pk} | ${item.sk}`, JSON.stringify(item, Object.keys(item).sort()));
  }
  return state;
}

/** Partitions an attempt by org B may change: its own org's items and its audit chain (refusals are audited there). */
const attackerMayWrite = (key: string): boolean =>
  key.startsWith(`${keys.auditPartition(ATTACKER)} |`) ||
  key.startsWith(`${keys.orgPartition(ATTACKER)} |`) ||
  key.startsWith(`${keys.orgPartition(ATTACKER)}#`);

/** Keys added, removed or changed between two states, other than in org B's own partitions. */
export function changesOutsideAttacker(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key) && !attackerMayWrite(key)) changed.push(key);
  }
  return changed.sort();
}
