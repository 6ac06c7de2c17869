import { LEVEL_PERMISSIONS, PLATFORM_ADMIN_PERMISSIONS, type Level, type Permission } from '#domain/authz/permissions';

/**
 * The expected-status model of the authorization matrix test, written from docs/permissions.md and
 * docs/permissions.md, independently of `policy.ts`: the permission table (the code's matrix, itself
 * checked cell by cell against docs/permissions.md in `permissions.test.ts`) plus the scope rules in plain terms.
 */
export type Actor = Level | 'platform';
export const ACTORS: readonly Actor[] = ['viewer', 'researcher', 'lead', 'admin', 'platform'];

/** Where the object of a request sits relative to the caller (who is in org acme, team vision). */
export type Relation = 'own' | 'sameTeam' | 'otherTeam' | 'otherOrg';
export const RELATIONS: readonly Relation[] = ['own', 'sameTeam', 'otherTeam', 'otherOrg'];

export function holds(actor: Actor, permission: Permission): boolean {
  return actor === 'platform' ? PLATFORM_ADMIN_PERMISSIONS.has(permission) : LEVEL_PERMISSIONS[actor].has(permission);
}

/** docs/permissions.md#reach-scope: "`*.all` and approval rights reach the caller's teams for a lead and the caller's org for an admin", plus the documented team/audit views. */
const TEAM_REACH_BELOW_ADMIN: ReadonlySet<Permission> = new Set<Permission>([
  'job.view.all',
  'job.cancel.all',
  'config.edit.all',
  'admin.approve',
  'queue.approve',
  'admin.audit',
  'team.view',
  'team.manage',
  'team.manage.members',
]);

/**
 * Whether `permission`, held by `actor`, reaches an object in `relation`. Objects of `own` and `sameTeam`
 * belong to the caller's team; `otherTeam` to another team of the caller's org; `otherOrg` to globex.
 */
export function reaches(actor: Actor, permission: Permission, relation: Relation): boolean {
  if (!holds(actor, permission)) return false;
  if (actor === 'platform') return true;
  if (relation === 'otherOrg') return false;
  if (permission.endsWith('.own')) return relation === 'own';
  if (TEAM_REACH_BELOW_ADMIN.has(permission) && actor !== 'admin') return relation === 'own' || relation === 'sameTeam';
  return true;
}

/** The org-level variant: whether the actor may address the org of `relation` at all. */
export function reachesOrgOf(actor: Actor, permission: Permission, relation: Relation): boolean {
  return holds(actor, permission) && (actor === 'platform' || relation !== 'otherOrg');
}
