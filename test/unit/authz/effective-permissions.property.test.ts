import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAccess } from '#domain/authz/levels';
import type { CustomLevel } from '#domain/authz/level.schema';
import { applyOverrides, normalizeOverrides, ungrantable, type PermissionOverride } from '#domain/authz/overrides';
import {
  LEVEL_PERMISSIONS,
  LEVELS,
  PERMISSIONS,
  PLATFORM_ADMIN_PERMISSIONS,
  PLATFORM_ONLY_PERMISSIONS,
  type Level,
  type Permission,
} from '#domain/authz/permissions';
import { effectivePermissions, hasPermission, reachOf, reaches } from '#domain/authz/policy';
import type { Principal } from '#domain/authz/principal';

const permission = fc.constantFrom(...PERMISSIONS);
const level = fc.constantFrom(...(Object.keys(LEVELS) as Level[]));
const override: fc.Arbitrary<PermissionOverride> = fc.record({ permission, effect: fc.constantFrom('grant' as const, 'deny' as const) });
const overrides = fc.array(override, { maxLength: 12 });
const permissionSet = fc.uniqueArray(permission, { maxLength: PERMISSIONS.length }).map((list) => new Set<Permission>(list));
const teams = fc.uniqueArray(fc.constantFrom('vision', 'nlp', 'robotics'), { maxLength: 3 });

const principalArb: fc.Arbitrary<Principal> = fc.record({
  userId: fc.constantFrom('u1', 'u2'),
  orgId: fc.constantFrom('acme', 'globex'),
  level,
  platformAdmin: fc.boolean(),
  teamIds: teams,
  authMethod: fc.constant('oidc' as const),
});

describe('effective permissions (property)', () => {
  it('applies overrides as (base ∪ grants) \\ denies: deny always wins, platform-only never granted', () => {
    fc.assert(
      fc.property(level, fc.boolean(), overrides, (lvl, platformAdmin, list) => {
        const { permissions } = resolveAccess({ orgId: 'acme', level: lvl, platformAdmin, overrides: list }, undefined);
        const result = new Set(permissions);
        const base = platformAdmin ? PLATFORM_ADMIN_PERMISSIONS : LEVEL_PERMISSIONS[lvl];
        const denied = new Set(list.filter((o) => o.effect === 'deny').map((o) => o.permission));
        const granted = new Set(list.filter((o) => o.effect === 'grant').map((o) => o.permission));
        for (const p of PERMISSIONS) {
          const expected = !denied.has(p) && (base.has(p) || (granted.has(p) && !PLATFORM_ONLY_PERMISSIONS.has(p)));
          expect(result.has(p), `${p} with ${JSON.stringify(list)}`).toBe(expected);
        }
      }),
    );
  });

  it('gives platform-only permissions to platform admins alone, whatever the overrides say', () => {
    fc.assert(
      fc.property(level, fc.boolean(), overrides, (lvl, platformAdmin, list) => {
        const { permissions } = resolveAccess({ orgId: 'acme', level: lvl, platformAdmin, overrides: list }, undefined);
        if (!platformAdmin) for (const p of PLATFORM_ONLY_PERMISSIONS) expect(permissions).not.toContain(p);
      }),
    );
  });

  it('normalizes overrides without changing what they do, idempotently, one entry per permission', () => {
    fc.assert(
      fc.property(permissionSet, overrides, (base, list) => {
        const normalized = normalizeOverrides(list);
        expect([...applyOverrides(base, normalized)].sort()).toEqual([...applyOverrides(base, list)].sort());
        expect(normalizeOverrides(normalized)).toEqual(normalized);
        expect(new Set(normalized.map((o) => o.permission)).size).toBe(normalized.length);
      }),
    );
  });

  it('lets nobody grant what they do not hold; denies are always allowed', () => {
    fc.assert(
      fc.property(permissionSet, overrides, (held, list) => {
        const refused = new Set(ungrantable(held, list));
        for (const o of list) {
          const mayGrant = held.has(o.permission) && !PLATFORM_ONLY_PERMISSIONS.has(o.permission);
          if (o.effect === 'deny') continue;
          expect(refused.has(o.permission), o.permission).toBe(!mayGrant);
        }
        for (const p of refused) expect(list.some((o) => o.permission === p && o.effect === 'grant')).toBe(true);
      }),
    );
  });

  it('resolves a custom level to its permissions minus platform-only ones; an unknown level holds only grants', () => {
    fc.assert(
      fc.property(fc.uniqueArray(permission), overrides, fc.integer({ min: 1, max: 100 }), (perms, list, priority) => {
        const custom: CustomLevel = {
          schemaVersion: 1,
          orgId: 'acme',
          name: 'ops',
          description: '',
          priority,
          permissions: perms,
          createdAt: '',
          updatedAt: '',
          version: 1,
        };
        const known = resolveAccess({ orgId: 'acme', level: 'ops', platformAdmin: false, overrides: list }, custom);
        const expected = applyOverrides(new Set(perms.filter((p) => !PLATFORM_ONLY_PERMISSIONS.has(p))), list);
        expect(known.permissions).toEqual([...expected].sort());
        expect(known.levelPriority).toBe(priority);
        const unknown = resolveAccess({ orgId: 'acme', level: 'ops', platformAdmin: false, overrides: list }, undefined);
        expect(unknown.permissions).toEqual([...applyOverrides(new Set(), list)].sort());
        expect(unknown.levelPriority).toBe(0);
      }),
    );
  });

  it('narrows to API-key scopes: never more than the scopes, never more than without them', () => {
    fc.assert(
      fc.property(principalArb, fc.uniqueArray(permission), (principal, scopes) => {
        const all = effectivePermissions({ ...principal });
        const scoped = effectivePermissions({ ...principal, scopes });
        for (const p of scoped) {
          expect(scopes).toContain(p);
          expect(all.has(p)).toBe(true);
        }
      }),
    );
  });

  it('trusts resolved permissions on the principal over its level', () => {
    fc.assert(
      fc.property(principalArb, fc.uniqueArray(permission), (principal, resolved) => {
        expect([...effectivePermissions({ ...principal, permissions: resolved })].sort()).toEqual([...resolved].sort());
      }),
    );
  });
});

describe('reach (property)', () => {
  const target = fc.record({
    orgId: fc.constantFrom('acme', 'globex'),
    teamIds: fc.array(fc.option(fc.constantFrom('vision', 'nlp', 'robotics'), { nil: undefined }), { maxLength: 2 }),
    ownerId: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
  });

  it('never reaches without the permission, another org without platform reach, or beyond the caller’s teams below admin rank', () => {
    fc.assert(
      fc.property(principalArb, permission, target, (principal, perm, object) => {
        const reach = reachOf(principal, perm);
        const ok = reaches(principal, perm, object);
        if (!hasPermission(principal, perm)) expect(ok).toBe(false);
        if (object.orgId !== principal.orgId && !principal.platformAdmin) expect(ok).toBe(false);
        if (reach === 'own' && ok) expect(object.ownerId).toBe(principal.userId);
        if (reach === 'teams' && ok) expect(object.teamIds.some((t) => t !== undefined && principal.teamIds.includes(t))).toBe(true);
        if (principal.platformAdmin && hasPermission(principal, perm)) expect(ok).toBe(true);
      }),
    );
  });

  it('gives a lead team reach and an admin org reach for the ranked permissions (docs/permissions.md scope)', () => {
    const lead: Principal = { userId: 'lin', orgId: 'acme', level: 'lead', platformAdmin: false, teamIds: ['vision'], authMethod: 'oidc' };
    const admin: Principal = { ...lead, userId: 'ada', level: 'admin', teamIds: [] };
    for (const p of ['job.view.all', 'admin.approve', 'queue.approve', 'admin.audit', 'team.view', 'team.manage.members'] as const) {
      expect(reachOf(lead, p), p).toBe('teams');
      expect(reachOf(admin, p), p).toBe('org');
    }
    expect(reachOf(admin, 'job.cancel.all')).toBe('org');
    expect(reachOf(lead, 'job.cancel.all')).toBe('none');
    expect(reachOf({ ...lead, permissions: [...LEVEL_PERMISSIONS.lead, 'job.cancel.all'] }, 'job.cancel.all')).toBe('teams');
  });
});
