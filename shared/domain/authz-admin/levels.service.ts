import { compareStrings } from '#domain/compare';
import { AppError, forbidden, notFound } from '#domain/errors/app-error';
import type { Clock } from '#domain/runtime/runtime.port';
import type { UserDirectory } from '#domain/users/users.port';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { customLevelSchema, type CustomLevel } from '#domain/authz/level.schema';
import {
  isBuiltinLevel,
  LEVEL_PERMISSIONS,
  LEVELS,
  PLATFORM_ONLY_PERMISSIONS,
  type Level,
  type Permission,
} from '#domain/authz/permissions';
import { effectivePermissions, levelPriority } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';

export interface LevelsDeps {
  levels: LevelCatalog;
  users: UserDirectory;
  clock: Clock;
}

export interface LevelView {
  name: string;
  builtin: boolean;
  priority: number;
  permissions: Permission[];
  description: string;
}

const BUILTIN_DESCRIPTIONS: Record<Level, string> = {
  viewer: 'Reads own job history and logs',
  researcher: 'Submits, watches and cancels own jobs; manages own templates',
  lead: 'Approves jobs and sees the jobs, usage and audit trail of their teams',
  admin: 'Administers the org: users, rules, quotas, catalog',
};

/** The four built-in levels (docs/permissions.md, exact) followed by the caller's org's custom levels. */
export async function listLevels(principal: Principal, deps: LevelsDeps): Promise<LevelView[]> {
  const builtin = (Object.keys(LEVELS) as Level[]).map((name) => ({
    name,
    builtin: true,
    priority: LEVELS[name],
    permissions: [...LEVEL_PERMISSIONS[name]].sort(),
    description: BUILTIN_DESCRIPTIONS[name],
  }));
  const custom = (await deps.levels.list(principal.orgId)).map(toLevelView);
  return [...builtin, ...custom.sort((a, b) => b.priority - a.priority || compareStrings(a.name, b.name))];
}

export const toLevelView = (level: CustomLevel): LevelView => ({
  name: level.name,
  builtin: false,
  priority: level.priority,
  permissions: [...level.permissions].sort(),
  description: level.description,
});

/**
 * Creates or replaces a custom level of the caller's org. Nobody defines a level above themselves: its
 * priority must not exceed the caller's and its permissions must all be held by the caller; platform-only
 * permissions never go into a level. A changed level reaches its users within the permission cache window.
 */
export async function putLevel(
  principal: Principal,
  name: string,
  input: { description?: string | undefined; priority: number; permissions: Permission[] },
  deps: LevelsDeps,
): Promise<{ level: CustomLevel; created: boolean }> {
  if (isBuiltinLevel(name)) throw forbidden(`"${name}" is a built-in level; its permissions are fixed`, { field: 'params.name' });
  const permissions = [...new Set(input.permissions)].sort();
  const platformOnly = permissions.filter((p) => PLATFORM_ONLY_PERMISSIONS.has(p));
  if (platformOnly.length > 0) {
    throw new AppError('validation_failed', 'Platform-only permissions cannot be part of a level', {
      fields: [{ field: 'body.permissions', message: `not allowed: ${platformOnly.join(', ')}` }],
    });
  }
  if (!principal.platformAdmin) {
    const held = effectivePermissions(principal);
    const missing = permissions.filter((p) => !held.has(p));
    if (missing.length > 0)
      throw forbidden(`You cannot give a level permissions you do not hold: ${missing.join(', ')}`, {
        field: 'body.permissions',
        permissions: missing,
      });
    if (input.priority > levelPriority(principal)) throw forbidden('A level cannot rank above your own', { field: 'body.priority' });
  }
  const existing = (await deps.levels.list(principal.orgId)).find((level) => level.name === name);
  const now = deps.clock.now().toISOString();
  const level = customLevelSchema.parse({
    orgId: principal.orgId,
    name,
    description: input.description ?? existing?.description ?? '',
    priority: input.priority,
    permissions,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    version: (existing?.version ?? 0) + 1,
  });
  if (!(await deps.levels.save(level, existing?.version ?? 0))) throw new AppError('conflict', 'The level was changed meanwhile; retry');
  return { level, created: !existing };
}

/** Deletes a custom level nobody in the org holds any more (409 while it is in use). */
export async function deleteLevel(principal: Principal, name: string, deps: LevelsDeps): Promise<void> {
  if (isBuiltinLevel(name)) throw forbidden(`"${name}" is a built-in level`, { field: 'params.name' });
  const existing = await deps.levels.get(principal.orgId, name);
  if (!existing) throw notFound('Level');
  if (await deps.users.anyWithLevel(principal.orgId, name))
    throw new AppError('conflict', `Users still hold level "${name}"; move them first`);
  await deps.levels.remove(principal.orgId, name);
}
