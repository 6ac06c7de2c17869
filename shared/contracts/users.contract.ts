import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { permissionOverrideSchema } from '#domain/authz/overrides';
import { levelNameSchema, permissionSchema } from '#domain/authz/permissions';
import type { User } from '#domain/users/user.schema';
import { slugSchema, teamRoleSchema } from '#domain/tenancy/tenancy.schema';
import { paginationQuerySchema } from './common.contract';

/*
 * Request schemas are strict: a field the route does not take (`orgId`, `level` on a profile update,
 * `platformAdmin` on a create, ...) is a 400, never silently applied (mass assignment).
 */

export const userIdSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, 'a user id'));
export const userIdParamsSchema = z.object({ userId: userIdSchema });
export const orgIdParamsSchema = z.object({ orgId: slugSchema });

export const listUsersQuerySchema = z.extend(paginationQuerySchema, {
  q: z
    .optional(z.string().check(z.minLength(1), z.maxLength(100)))
    .check(z.describe('Matches id, email or display name (case-insensitive substring)')),
  level: z.optional(levelNameSchema),
  status: z.optional(z.enum(['active', 'disabled'])),
  teamId: z.optional(slugSchema),
});

export const teamMembershipSchema = z
  .strictObject({ teamId: slugSchema, role: z._default(teamRoleSchema, 'member') })
  .register(z.globalRegistry, { id: 'TeamMembership' });

export const createUserBodySchema = z
  .strictObject({
    id: z.optional(userIdSchema).check(z.describe('Defaults to a generated id')),
    email: z.email().check(z.maxLength(254)),
    displayName: z.string().check(z.minLength(1), z.maxLength(120)),
    level: levelNameSchema,
    teams: z._default(z.array(teamMembershipSchema).check(z.maxLength(100)), []),
  })
  .register(z.globalRegistry, { id: 'CreateUser' });

export const updateUserBodySchema = z
  .strictObject({
    email: z.optional(z.email().check(z.maxLength(254))),
    displayName: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
  })
  .check(z.refine((body) => body.email !== undefined || body.displayName !== undefined, 'name at least one of email, displayName'))
  .register(z.globalRegistry, { id: 'UpdateUser' });

export const setLevelBodySchema = z
  .strictObject({
    level: levelNameSchema,
    platformAdmin: z.optional(z.boolean()).check(z.describe('Platform admins only')),
  })
  .register(z.globalRegistry, { id: 'SetUserLevel' });

export const setStatusBodySchema = z
  .strictObject({ status: z.enum(['active', 'disabled']) })
  .register(z.globalRegistry, { id: 'SetUserStatus' });

export const setOverridesBodySchema = z
  .strictObject({ overrides: z.array(permissionOverrideSchema).check(z.maxLength(60)) })
  .register(z.globalRegistry, { id: 'SetPermissionOverrides' });

export const setTeamsBodySchema = z
  .strictObject({ teams: z.array(teamMembershipSchema).check(z.maxLength(100)) })
  .register(z.globalRegistry, { id: 'SetUserTeams' });

export const userViewSchema = lazySchema(() =>
  z
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
      updatedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'User' }),
);
export type UserView = z.infer<ReturnType<typeof userViewSchema>>;

export const userListSchema = lazySchema(() =>
  z.object({ items: z.array(userViewSchema()), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'UserList' }),
);

export const userAccessSchema = lazySchema(() =>
  z
    .object({
      userId: z.string(),
      level: z.string(),
      levelPriority: z.number(),
      platformAdmin: z.boolean(),
      overrides: z.array(permissionOverrideSchema),
      permissions: z
        .array(permissionSchema)
        .check(z.describe('Effective permissions: level (or custom level), platform flag, then overrides')),
    })
    .register(z.globalRegistry, { id: 'UserAccess' }),
);

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
  .strictObject({
    description: z.optional(z.string().check(z.maxLength(500))),
    priority: z.number().check(z.int(), z.gte(1), z.lte(100), z.describe('Scheduling priority and rank; ≥ 100 reaches the whole org')),
    permissions: z.array(permissionSchema).check(z.maxLength(100)),
  })
  .register(z.globalRegistry, { id: 'PutLevel' });

export const levelViewSchema = lazySchema(() =>
  z
    .object({
      name: z.string(),
      builtin: z.boolean(),
      priority: z.number(),
      permissions: z.array(permissionSchema),
      description: z.string(),
    })
    .register(z.globalRegistry, { id: 'Level' }),
);
export const levelListSchema = lazySchema(() =>
  z.object({ items: z.array(levelViewSchema()) }).register(z.globalRegistry, { id: 'LevelList' }),
);
