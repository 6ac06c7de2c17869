import { compareStrings } from '#domain/compare';
import * as z from 'zod/mini';
import { PLATFORM_ONLY_PERMISSIONS, permissionSchema, type Permission } from './permissions';

/** A per-user exception to the level's permissions (docs/permissions.md): grant one more, or deny one. */
export const permissionOverrideSchema = z
  .strictObject({
    permission: permissionSchema,
    effect: z.enum(['grant', 'deny']),
  })
  .register(z.globalRegistry, { id: 'PermissionOverride' });
export type PermissionOverride = z.infer<typeof permissionOverrideSchema>;

/**
 * One entry per permission, deny first, sorted: a list naming a permission both ways keeps the deny
 * (deny wins), so what is stored already says what applies.
 */
export function normalizeOverrides(overrides: readonly PermissionOverride[]): PermissionOverride[] {
  const byPermission = new Map<Permission, PermissionOverride['effect']>();
  for (const { permission, effect } of overrides) {
    if (byPermission.get(permission) !== 'deny') byPermission.set(permission, effect);
  }
  return [...byPermission.entries()]
    .map(([permission, effect]) => ({ permission, effect }))
    .sort((a, b) => (a.effect === b.effect ? compareStrings(a.permission, b.permission) : a.effect === 'deny' ? -1 : 1));
}

/**
 * `base` with the overrides applied: grants add, denies remove, and a deny always wins over a grant of the
 * same permission. Platform-only permissions are never granted by an override, whatever the list says.
 */
export function applyOverrides(base: ReadonlySet<Permission>, overrides: readonly PermissionOverride[]): Set<Permission> {
  const result = new Set(base);
  const denied = new Set(overrides.filter((o) => o.effect === 'deny').map((o) => o.permission));
  for (const { permission, effect } of overrides) {
    if (effect === 'grant' && !denied.has(permission) && !PLATFORM_ONLY_PERMISSIONS.has(permission)) result.add(permission);
  }
  for (const permission of denied) result.delete(permission);
  return result;
}

/**
 * Grants the granter could not make: "nobody can grant a permission they do not hold", and platform-only
 * permissions cannot be granted at all. Denies are always allowed: taking away never escalates.
 */
export function ungrantable(granterHolds: ReadonlySet<Permission>, overrides: readonly PermissionOverride[]): Permission[] {
  return overrides
    .filter((o) => o.effect === 'grant' && (!granterHolds.has(o.permission) || PLATFORM_ONLY_PERMISSIONS.has(o.permission)))
    .map((o) => o.permission);
}
