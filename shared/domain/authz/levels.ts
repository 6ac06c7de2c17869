import type { LevelCatalog } from './authz.port';
import type { CustomLevel } from './level.schema';
import { applyOverrides, type PermissionOverride } from './overrides';
import {
  isBuiltinLevel,
  LEVEL_PERMISSIONS,
  LEVELS,
  PLATFORM_ADMIN_PERMISSIONS,
  PLATFORM_ONLY_PERMISSIONS,
  type Permission,
} from './permissions';

/** What access resolution needs from a user record. */
export interface AccessSubject {
  orgId: string;
  level: string;
  platformAdmin: boolean;
  overrides: readonly PermissionOverride[];
}

export interface ResolvedAccess {
  permissions: Permission[];
  levelPriority: number;
}

/**
 * The permissions a user holds: their level's (built-in, or the org's custom level; an unknown level holds
 * nothing — fail closed), the platform-admin set for platform admins, then their overrides.
 */
export function resolveAccess(subject: AccessSubject, custom: CustomLevel | undefined): ResolvedAccess {
  const builtin = isBuiltinLevel(subject.level);
  let base: ReadonlySet<Permission>;
  if (subject.platformAdmin) base = PLATFORM_ADMIN_PERMISSIONS;
  else if (builtin) base = LEVEL_PERMISSIONS[subject.level as keyof typeof LEVELS];
  else base = new Set((custom?.permissions ?? []).filter((p) => !PLATFORM_ONLY_PERMISSIONS.has(p)));
  const permissions = [...applyOverrides(base, subject.overrides)].sort();
  const levelPriority = builtin ? LEVELS[subject.level as keyof typeof LEVELS] : (custom?.priority ?? 0);
  return { permissions, levelPriority };
}

/** Looks the custom level up only when the level is not built in. */
export async function resolveAccessFor(subject: AccessSubject, levels: LevelCatalog): Promise<ResolvedAccess> {
  const custom = isBuiltinLevel(subject.level) ? undefined : await levels.get(subject.orgId, subject.level);
  return resolveAccess(subject, custom);
}

/** The permission set and priority a level name stands for in `orgId`, or undefined when there is no such level. */
export async function describeLevel(
  orgId: string,
  name: string,
  levels: LevelCatalog,
): Promise<{ permissions: ReadonlySet<Permission>; priority: number } | undefined> {
  if (isBuiltinLevel(name)) return { permissions: LEVEL_PERMISSIONS[name], priority: LEVELS[name] };
  const custom = await levels.get(orgId, name);
  return custom ? { permissions: new Set(custom.permissions), priority: custom.priority } : undefined;
}
