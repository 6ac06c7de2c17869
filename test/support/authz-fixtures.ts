import { queuedJob } from '#test-support/job-fixtures';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import * as keys from '#adapters/dynamodb/table-keys';
import { orgIndexAttributes } from '#adapters/dynamodb/keys';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { identityProviderSchema } from '#domain/identity/identity-provider.schema';
import type { Actor, Relation } from './authz-model';
import { FOREIGN_MARKER, ORGS, TEAMS, type AuthzWorld } from './authz-world';

/** Test objects for the matrix: who owns them and where they live, by relation to the caller. */
export const actorId = (actor: Actor): string => `actor-${actor}`;
export const OWNERS = { sameTeam: 'peer', otherTeam: 'outsider', otherOrg: 'foreigner' } as const;

export const orgOf = (relation: Relation): string => (relation === 'otherOrg' ? ORGS.globex : ORGS.acme);
export const teamOf = (relation: Relation): string =>
  relation === 'otherOrg' ? TEAMS.robotics : relation === 'otherTeam' ? TEAMS.nlp : TEAMS.vision;
export const ownerOf = (relation: Relation, actor: Actor): string => (relation === 'own' ? actorId(actor) : OWNERS[relation]);
const note = (relation: Relation): string => (relation === 'otherOrg' ? FOREIGN_MARKER : 'acme-note');

/** The actors (all in acme/vision) and the owners of others' objects. */
export async function seedPeople(world: AuthzWorld): Promise<void> {
  for (const actor of ['viewer', 'researcher', 'lead', 'admin'] as const) {
    await world.putUser({ id: actorId(actor), level: actor, teamIds: [TEAMS.vision] });
  }
  await world.putUser({ id: actorId('platform'), level: 'admin', platformAdmin: true, teamIds: [TEAMS.vision] });
  await world.putUser({ id: OWNERS.sameTeam, teamIds: [TEAMS.vision] });
  await world.putUser({ id: OWNERS.otherTeam, teamIds: [TEAMS.nlp] });
  await world.putUser({ id: OWNERS.otherOrg, orgId: ORGS.globex, teamIds: [TEAMS.robotics] });
}

export type Key = { pk: string; sk: string };

export async function makeJob(world: AuthzWorld, relation: Relation, actor: Actor): Promise<{ id: string; key: Key }> {
  const id = ulid();
  const now = new Date().toISOString();
  const job = queuedJob({
    id,
    orgId: orgOf(relation),
    ownerId: ownerOf(relation, actor),
    teamId: teamOf(relation),
    name: 'matrix',
    note: note(relation),
    at: now,
  });
  const outcome = await world.jobs.create(job);
  if (!outcome.ok) throw new Error('job fixture not stored');
  return { id, key: keys.job(id) };
}

export async function makeTemplate(world: AuthzWorld, relation: Relation, actor: Actor): Promise<{ name: string; key: Key }> {
  const name = world.unique('tpl');
  const orgId = orgOf(relation);
  const at = new Date().toISOString();
  const template = {
    schemaVersion: 1 as const,
    orgId,
    name,
    description: note(relation),
    ownerId: ownerOf(relation, actor),
    teamId: teamOf(relation),
    spec: { image: 'busybox' },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (!(await world.templates.save(template, 0))) throw new Error('template fixture not stored');
  return { name, key: keys.template(orgId, name) };
}

export async function makeRule(world: AuthzWorld, relation: Relation): Promise<{ id: string; key: Key }> {
  const id = world.unique('rule').replace(/-/g, '');
  const orgId = orgOf(relation);
  const at = new Date().toISOString();
  const rule = {
    schemaVersion: 1 as const,
    id,
    orgId,
    type: 'hardware' as const,
    pattern: 'zz-*',
    action: 'deny' as const,
    description: note(relation),
    createdBy: 'seed',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (!(await world.rules.save(rule, 0))) throw new Error('rule fixture not stored');
  return { id, key: keys.resourceRule(orgId, id) };
}

export async function makeLevel(world: AuthzWorld, relation: Relation): Promise<{ name: string; key: Key }> {
  const name = world.unique('lvl');
  const orgId = orgOf(relation);
  const at = new Date().toISOString();
  const level = {
    schemaVersion: 1 as const,
    orgId,
    name,
    description: note(relation),
    priority: 5,
    permissions: ['job.view.own' as const],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (!(await world.access.levels.save(level, 0))) throw new Error('level fixture not stored');
  return { name, key: keys.customLevel(orgId, name) };
}

/** A quota of the relation's org (a team quota of the relation's team), for quota changes. */
export async function makeQuota(world: AuthzWorld, relation: Relation): Promise<{ id: string; key: Key }> {
  const orgId = orgOf(relation);
  const at = new Date().toISOString();
  const id = ulid();
  await world.quotas.put({
    schemaVersion: 1,
    id,
    orgId,
    metric: 'daily_jobs',
    scopeType: 'team',
    scopeId: teamOf(relation),
    limit: 1_000,
    action: 'warn',
    description: note(relation),
    createdAt: at,
    updatedAt: at,
    updatedBy: 'seed',
  });
  return { id, key: keys.quota(orgId, id) };
}

/** A fresh user placed by relation (the caller themself for `own`), for user and membership mutations. */
export async function makeTargetUser(world: AuthzWorld, relation: Relation, actor: Actor): Promise<{ id: string; key: Key }> {
  if (relation === 'own') return { id: actorId(actor), key: keys.user(actorId(actor)) };
  const id = world.unique('target');
  await world.putUser({ id, orgId: orgOf(relation), teamIds: [teamOf(relation)] });
  return { id, key: keys.user(id) };
}

/** A fresh org (for disabling another org without breaking the rest of the matrix). */
export async function makeOrg(world: AuthzWorld): Promise<{ id: string; key: Key }> {
  const id = world.unique('org');
  const item = {
    ...keys.org(id),
    ...orgIndexAttributes(id),
    id,
    slug: id,
    name: `Other ${FOREIGN_MARKER}`,
    status: 'active',
    createdAt: new Date().toISOString(),
  };
  await world.table.doc.send(new PutCommand({ TableName: world.table.tableName, Item: item }));
  return { id, key: keys.org(id) };
}

/** The raw stored items at `keys`, to compare before and after a refused request. */
export async function snapshot(world: AuthzWorld, watched: readonly Key[]): Promise<string> {
  const items = await Promise.all(
    watched.map(
      async (key) =>
        (await world.table.doc.send(new GetCommand({ TableName: world.table.tableName, Key: key, ConsistentRead: true }))).Item,
    ),
  );
  return JSON.stringify(items);
}

/**
 * An org-scoped OIDC provider of the relation's org (a unique issuer each time, so providers never clash),
 * stored directly; `input` is the same provider as the admin API takes it (for replace cases).
 */
export async function makeProvider(
  world: AuthzWorld,
  relation: Relation,
): Promise<{ id: string; key: Key; input: Record<string, unknown> }> {
  const id = world.unique('idp');
  const orgId = orgOf(relation);
  const input = {
    id,
    type: 'oidc' as const,
    displayName: `${note(relation)} IdP`,
    defaultOrgId: orgId,
    groupMappings: [{ group: 'members', level: 'viewer' as const, teamIds: [teamOf(relation)] }],
    issuer: `https://${id}.idp.example.test`,
    clientId: 'qm',
  };
  await world.providers.put(identityProviderSchema.parse(input), { expectNew: true });
  return { id, key: keys.identityProvider(id), input };
}
