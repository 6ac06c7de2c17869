import * as z from 'zod';
import { permissionOverrideSchema } from '../domain/authz/overrides';
import { levelNameSchema, permissionSchema } from '../domain/authz/permissions';
import type { User } from '../domain/identity/user.schema';
import { slugSchema, teamRoleSchema } from '../domain/tenancy/tenancy.schema';
import { paginationQuerySchema } from './common.contract';

/*
 * Request schemas are strict: a field the route does not take (`orgId`, `level` on a profile update,
 * `platformAdmin` on a create, ...) is a 400, never silently applied (mass assignment).
 */

export const userIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'a user id');
export const userIdParamsSchema = z.object({ userId: userIdSchema });
export const orgIdParamsSchema = z.object({ orgId: slugSchema });

export const listUsersQuerySchema = paginationQuerySchema.extend({
  q: z.string().min(1).max(100).optional().describe('Matches id, email or display name (case-insensitive substring)'),
  level: levelNameSchema.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  teamId: slugSchema.optional(),
});

export const teamMembershipSchema = z.object({ teamId: slugSchema, role: teamRoleSchema.default('member') }).strict().meta({ id: 'TeamMembership' });

export const createUserBodySchema = z
  .object({
    id: userIdSchema.optional().describe('Defaults to a generated id'),
    email: z.email().max(254),
    displayName: z.string().min(1).max(120),
    level: levelNameSchema,
    teams: z.array(teamMembershipSchema).max(100).default([]),
  })
  .strict()
  .meta({ id: 'CreateUser' });

export const updateUserBodySchema = z
  .object({ email: z.email().max(254).optional(), displayName: z.string().min(1).max(120).optional() })
  .strict()
  .refine((body) => body.email !== undefined || body.displayName !== undefined, 'name at least one of email, displayName')
  .meta({ id: 'UpdateUser' });

export const setLevelBodySchema = z
  .object({
    level: levelNameSchema,
    platformAdmin: z.boolean().optional().describe('Platform admins only'),
  })
  .strict()
  .meta({ id: 'SetUserLevel' });

export const setStatusBodySchema = z.object({ status: z.enum(['active', 'disabled']) }).strict().meta({ id: 'SetUserStatus' });

export const setOverridesBodySchema = z
  .object({ overrides: z.array(permissionOverrideSchema).max(60) })
  .strict()
  .meta({ id: 'SetPermissionOverrides' });

export const setTeamsBodySchema = z.object({ teams: z.array(teamMembershipSchema).max(100) }).strict().meta({ id: 'SetUserTeams' });

export const userViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    orgId: z.string(),
    level: z.string(),
    platformAdmin: z.boolean(),
    status: z.enum(['active', 'disabled']),
    teams: z.array(z.object({ teamId: z.string(), role: teamRoleSchema })),
    overrides: z.array(permissionOverrideSchema),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userViewSchema>;

export const userListSchema = z.object({ items: z.array(userViewSchema), nextCursor: z.string().optional() }).meta({ id: 'UserList' });

export const userAccessSchema = z
  .object({
    userId: z.string(),
    level: z.string(),
    levelPriority: z.number(),
    platformAdmin: z.boolean(),
    overrides: z.array(permissionOverrideSchema),
    permissions: z.array(permissionSchema).describe('Effective permissions: level (or custom level), platform flag, then overrides'),
  })
  .meta({ id: 'UserAccess' });

/** Response mapper: every field listed, so nothing else stored on a user (identities, secrets) can leak. */
export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    orgId: user.orgId,
    level: user.level,
    platformAdmin: user.platformAdmin,
    status: user.status,
    teams: user.teamIds.map((teamId) => ({ teamId, role: user.teamRoles?.[teamId] ?? 'member' })),
    overrides: user.overrides ?? [],
    createdAt: user.createdAt,
    ...(user.updatedAt ? { updatedAt: user.updatedAt } : {}),
  };
}

export const levelNameParamsSchema = z.object({ name: levelNameSchema });

export const putLevelBodySchema = z
  .object({
    description: z.string().max(500).optional(),
    priority: z.number().int().min(1).max(100).describe('Scheduling priority and rank; ≥ 100 reaches the whole org'),
    permissions: z.array(permissionSchema).max(100),
  })
  .strict()
  .meta({ id: 'PutLevel' });

export const levelViewSchema = z
  .object({ name: z.string(), builtin: z.boolean(), priority: z.number(), permissions: z.array(permissionSchema), description: z.string() })
  .meta({ id: 'Level' });
export const levelListSchema = z.object({ items: z.array(levelViewSchema) }).meta({ id: 'LevelList' });
