import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import type { User } from '#domain/users/user.schema';
import { slugSchema, teamRoleSchema, tenancyStatusSchema, type Org, type Team } from '#domain/tenancy/tenancy.schema';
import { userIdSchema } from './users.contract';

export const orgParamsSchema = z.object({ orgId: slugSchema });
export const teamParamsSchema = z.object({ orgId: slugSchema, teamId: slugSchema });
export const memberParamsSchema = z.object({ orgId: slugSchema, teamId: slugSchema, userId: userIdSchema });

export const createOrgBodySchema = z
  .strictObject({
    slug: slugSchema.check(z.describe('Also the id; fixed for good')),
    name: z.string().check(z.minLength(1), z.maxLength(120)),
  })
  .register(z.globalRegistry, { id: 'CreateOrg' });
export const createTeamBodySchema = z
  .strictObject({
    slug: slugSchema.check(z.describe('Also the id; unique in the org')),
    name: z.string().check(z.minLength(1), z.maxLength(120)),
  })
  .register(z.globalRegistry, { id: 'CreateTeam' });

/** Rename, or `status: disabled` / `active` (soft delete and restore). */
export const updateTenancyBodySchema = z
  .strictObject({ name: z.optional(z.string().check(z.minLength(1), z.maxLength(120))), status: z.optional(tenancyStatusSchema) })
  .check(z.refine((body) => body.name !== undefined || body.status !== undefined, 'name at least one of name, status'))
  .register(z.globalRegistry, { id: 'UpdateOrgOrTeam' });

export const putMemberBodySchema = z
  .strictObject({ role: z._default(teamRoleSchema, 'member') })
  .register(z.globalRegistry, { id: 'PutTeamMember' });

export const orgViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      status: tenancyStatusSchema,
      createdAt: z.string(),
      updatedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'Org' }),
);
export const orgListSchema = lazySchema(() =>
  z.object({ items: z.array(orgViewSchema()), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'OrgList' }),
);

export const teamViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      orgId: z.string(),
      slug: z.string(),
      name: z.string(),
      status: tenancyStatusSchema,
      createdAt: z.string(),
      updatedAt: z.optional(z.string()),
    })
    .register(z.globalRegistry, { id: 'Team' }),
);
export const teamListSchema = lazySchema(() =>
  z.object({ items: z.array(teamViewSchema()), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'TeamList' }),
);

export const memberViewSchema = lazySchema(() =>
  z
    .object({
      userId: z.string(),
      displayName: z.string(),
      email: z.string(),
      level: z.string(),
      status: z.enum(['active', 'disabled']),
      role: teamRoleSchema,
    })
    .register(z.globalRegistry, { id: 'TeamMember' }),
);
export const memberListSchema = lazySchema(() =>
  z.object({ items: z.array(memberViewSchema()), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id: 'TeamMemberList' }),
);

export const toOrgView = (org: Org): z.infer<ReturnType<typeof orgViewSchema>> => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  status: org.status,
  createdAt: org.createdAt,
  ...(org.updatedAt ? { updatedAt: org.updatedAt } : {}),
});

export const toTeamView = (team: Team): z.infer<ReturnType<typeof teamViewSchema>> => ({
  id: team.id,
  orgId: team.orgId,
  slug: team.slug,
  name: team.name,
  status: team.status,
  createdAt: team.createdAt,
  ...(team.updatedAt ? { updatedAt: team.updatedAt } : {}),
});

export const toMemberView = (user: User, teamId: string): z.infer<ReturnType<typeof memberViewSchema>> => ({
  userId: user.id,
  displayName: user.displayName,
  email: user.email,
  level: user.level,
  status: user.status,
  role: user.teamRoles?.[teamId] ?? 'member',
});
