import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LEVEL_PERMISSIONS,
  LEVELS,
  levelSchema,
  PERMISSIONS,
  PLATFORM_ADMIN_PERMISSIONS,
  type Level,
  type Permission,
} from '#domain/authz/permissions';
import { effectivePermissions, hasPermission } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';

/**
 * docs/permissions.md's table, copied by hand column for column (viewer, researcher, lead, admin). The code's matrix
 * must agree with the document, cell by cell; `org.create` belongs to platform admins only.
 */
const _ = false;
const X = true;
type Column = readonly [boolean, boolean, boolean, boolean];
/** Permissions the product needs beyond the table ("add what the product needs ... and document it"): docs/permissions.md. */
const ADDITIONS: Record<'team.manage' | 'org.manage' | 'audit.verify' | 'platform.config', Column> = {
  'team.manage': [_, _, _, X],
  'org.manage': [_, _, _, _], // platform admin only
  'audit.verify': [_, _, _, X],
  'platform.config': [_, _, _, _], // platform admin only: deployment-wide settings
};
const DESIGN_ONLY: Record<Exclude<Permission, keyof typeof ADDITIONS>, Column> = {
  'job.submit': [_, X, X, X],
  'job.view.own': [X, X, X, X],
  'job.view.all': [_, _, X, X],
  'job.cancel.own': [_, X, X, X],
  'job.cancel.all': [_, _, _, X],
  'job.priority.high': [_, _, X, X],
  'job.bypass.queue': [_, _, _, X],
  'job.bypass.approval': [_, _, _, X],
  'config.view': [X, X, X, X],
  'config.create': [_, X, X, X],
  'config.edit.own': [_, X, X, X],
  'config.edit.all': [_, _, _, X],
  'admin.users': [_, _, _, X],
  'admin.approve': [_, _, X, X],
  'admin.audit': [_, _, X, X],
  'admin.config': [_, _, _, X],
  'queue.approve': [_, _, X, X],
  'queue.manage': [_, _, _, X],
  'org.view': [_, _, X, X],
  'org.create': [_, _, _, _], // ✓ (platform admin) only
  'team.view': [_, _, X, X],
  'team.create': [_, _, X, X],
  'team.manage.members': [_, _, X, X],
};
const DESIGN_MATRIX: Record<Permission, Column> = { ...DESIGN_ONLY, ...ADDITIONS };
const COLUMNS: readonly Level[] = ['viewer', 'researcher', 'lead', 'admin'];

const principal = (level: Level, platformAdmin = false): Principal => ({
  userId: 'u1',
  orgId: 'acme',
  level,
  platformAdmin,
  teamIds: [],
  authMethod: 'oidc',
});

describe('permission matrix (docs/permissions.md)', () => {
  it('names exactly the permissions of the design table, plus the documented additions', () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(DESIGN_MATRIX).sort());
    const documented = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
    for (const permission of PERMISSIONS) expect(documented, `${permission} is documented`).toContain(`\`${permission}\``);
    expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
  });

  it('knows exactly the four levels of the table', () => {
    expect([...levelSchema.options].sort()).toEqual([...COLUMNS].sort());
    expect(Object.keys(LEVELS).sort()).toEqual([...COLUMNS].sort());
  });

  for (const [column, level] of COLUMNS.entries()) {
    it(`gives ${level} exactly its column`, () => {
      const mismatches = PERMISSIONS.filter((p) => LEVEL_PERMISSIONS[level].has(p) !== DESIGN_MATRIX[p][column]);
      expect(mismatches).toEqual([]);
      // Nothing outside the vocabulary sneaks into a level's set.
      expect([...LEVEL_PERMISSIONS[level]].every((p) => (PERMISSIONS as readonly string[]).includes(p))).toBe(true);
    });
  }

  it('orders level priorities viewer 10 < researcher 20 < lead 30 < admin 100', () => {
    expect(LEVELS).toEqual({ viewer: 10, researcher: 20, lead: 30, admin: 100 });
  });

  it('lets a higher level hold everything a lower one does (the table is monotonic)', () => {
    const byPriority = [...COLUMNS].sort((a, b) => LEVELS[a] - LEVELS[b]);
    for (let i = 1; i < byPriority.length; i++) {
      const lower = byPriority[i - 1] as Level;
      const higher = byPriority[i] as Level;
      expect(
        [...LEVEL_PERMISSIONS[lower]].filter((p) => !LEVEL_PERMISSIONS[higher].has(p)),
        `${lower} ⊆ ${higher}`,
      ).toEqual([]);
    }
  });
});

describe('org.create and platform admins', () => {
  it('is held by no level, not even admin', () => {
    for (const level of COLUMNS) {
      expect(LEVEL_PERMISSIONS[level].has('org.create'), level).toBe(false);
      expect(hasPermission(principal(level), 'org.create'), level).toBe(false);
    }
  });

  it('is held by a platform admin, who also holds every admin permission', () => {
    expect(PLATFORM_ADMIN_PERMISSIONS.has('org.create')).toBe(true);
    expect(hasPermission(principal('admin', true), 'org.create')).toBe(true);
    for (const p of LEVEL_PERMISSIONS.admin) expect(PLATFORM_ADMIN_PERMISSIONS.has(p), p).toBe(true);
    expect([...PLATFORM_ADMIN_PERMISSIONS].sort()).toEqual([...PERMISSIONS].sort());
  });
});

describe('policy', () => {
  it('answers hasPermission from the level column for ordinary principals', () => {
    for (const [column, level] of COLUMNS.entries()) {
      for (const p of PERMISSIONS) expect(hasPermission(principal(level), p), `${level} ${p}`).toBe(DESIGN_MATRIX[p][column]);
    }
  });

  it('uses the platform-admin set when the principal is a platform admin', () => {
    expect([...effectivePermissions(principal('admin', true))].sort()).toEqual([...PLATFORM_ADMIN_PERMISSIONS].sort());
    expect([...effectivePermissions(principal('lead'))].sort()).toEqual([...LEVEL_PERMISSIONS.lead].sort());
  });
});
