import * as z from 'zod/mini';
import { applyOverrides, type PermissionOverride } from './overrides';
import {
  isBuiltinLevel,
  LEVEL_PERMISSIONS,
  LEVELS,
  levelNameSchema,
  PLATFORM_ADMIN_PERMISSIONS,
  PLATFORM_ONLY_PERMISSIONS,
  permissionSchema,
  type Permission,
} from './permissions';

/**
 * A custom level (docs/permissions.md: "custom levels may be added by admins"): a named permission set with a
 * priority, defined per org. Built-in level names cannot be redefined: the matrix is exact.
 */
export const customLevelSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  orgId: z.string().check(z.minLength(1)),
  name: levelNameSchema.check(z.refine((name) => !isBuiltinLevel(name), 'a built-in level cannot be redefined')),
  description: z._default(z.string().check(z.maxLength(500)), ''),
  /** Scheduling priority and rank: ≥ the admin level's priority means org-wide scope (see `scope.ts`). */
  priority: z.number().check(z.int(), z.gte(1), z.lte(LEVELS.admin)),
  permissions: z.array(permissionSchema).check(z.maxLength(100)),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every change; writes are conditional on it. */
  version: z.number().check(z.int(), z.gte(1)),
});
export type CustomLevel = z.infer<typeof customLevelSchema>;

export interface LevelCatalog {
  /** The custom level `name` of `orgId` (possibly from a cache of at most 60 s). */
  get(orgId: string, name: string): Promise<CustomLevel | undefined>;
  list(orgId: string): Promise<CustomLevel[]>;
  /** Creates (`expectedVersion` 0) or replaces the level at `expectedVersion`; false when that lost a race. */
  save(level: CustomLevel, expectedVersion: number): Promise<boolean>;
  remove(orgId: string, name: string): Promise<void>;
}

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
