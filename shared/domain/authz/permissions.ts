import * as z from 'zod/mini';

/**
 * The permission matrix of docs/permissions.md, as data. A higher level includes the permissions of lower ones
 * only where this table says so: each level lists exactly what it holds.
 */
export const PERMISSIONS = [
  'job.submit',
  'job.view.own',
  'job.view.all',
  'job.cancel.own',
  'job.cancel.all',
  'job.priority.high',
  'job.bypass.queue',
  'job.bypass.approval',
  'config.view',
  'config.create',
  'config.edit.own',
  'config.edit.all',
  'admin.users',
  'admin.approve',
  'admin.audit',
  'admin.config',
  'queue.approve',
  'queue.manage',
  'org.view',
  'org.create',
  'team.view',
  'team.create',
  'team.manage.members',
  // Beyond the docs/permissions.md table (documented in docs/permissions.md):
  'team.manage',
  'org.manage',
  'audit.verify',
  'platform.config',
] as const;

export const permissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permissionSchema>;

export const LEVELS = { viewer: 10, researcher: 20, lead: 30, admin: 100 } as const;
export const levelSchema = z.enum(['viewer', 'researcher', 'lead', 'admin']);
export type Level = z.infer<typeof levelSchema>;

/** A level name: one of the four built-in levels or an org's custom level (same slug rules). */
export const levelNameSchema = z
  .string()
  .check(z.minLength(2), z.maxLength(32), z.regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'lower-case letters, digits and dashes'));
export type LevelName = z.infer<typeof levelNameSchema>;
export const isBuiltinLevel = (name: string): name is Level => Object.hasOwn(LEVELS, name);

const viewer: Permission[] = ['job.view.own', 'config.view'];
const researcher: Permission[] = [...viewer, 'job.submit', 'job.cancel.own', 'config.create', 'config.edit.own'];
const lead: Permission[] = [
  ...researcher,
  'job.view.all',
  'job.priority.high',
  'admin.approve',
  'admin.audit',
  'queue.approve',
  'org.view',
  'team.view',
  'team.create',
  'team.manage.members',
];
const admin: Permission[] = [
  ...lead,
  'job.cancel.all',
  'job.bypass.queue',
  'job.bypass.approval',
  'config.edit.all',
  'admin.users',
  'admin.config',
  'queue.manage',
  'team.manage',
  'audit.verify',
];

export const LEVEL_PERMISSIONS: Readonly<Record<Level, ReadonlySet<Permission>>> = {
  viewer: new Set(viewer),
  researcher: new Set(researcher),
  lead: new Set(lead),
  admin: new Set(admin),
};

/**
 * Held only by platform admins (cross-org work and deployment-wide objects: docs/permissions.md#tenancy), never by a level,
 * a custom level or an override: no org admin can hand them out, because no org admin holds them.
 * `platform.config` changes what binds or is seen by every org (global concurrency limits, the hardware
 * catalog); reading those stays with the ordinary view permissions.
 */
export const PLATFORM_ONLY_PERMISSIONS: ReadonlySet<Permission> = new Set(['org.create', 'org.manage', 'platform.config']);
export const PLATFORM_ADMIN_PERMISSIONS: ReadonlySet<Permission> = new Set([...admin, ...PLATFORM_ONLY_PERMISSIONS]);
