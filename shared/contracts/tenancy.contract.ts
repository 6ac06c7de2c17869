import * as z from 'zod';
import type { User } from '../domain/identity/user.schema';
import { slugSchema, teamRoleSchema, tenancyStatusSchema, type Org, type Team } from '../domain/tenancy/tenancy.schema';
import { userIdSchema } from './users.contract';

export const orgParamsSchema = z.object({ orgId: slugSchema });
export const teamParamsSchema = z.object({ orgId: slugSchema, teamId: slugSchema });
export const memberParamsSchema = z.object({ orgId: slugSchema, teamId: slugSchema, userId: userIdSchema });

export const createOrgBodySchema = z.object({ slug: slugSchema.describe('Also the id; fixed for good'), name: z.string().min(1).max(120) }).strict().meta({ id: 'CreateOrg' });
export const createTeamBodySchema = z.object({ slug: slugSchema.describe('Also the id; unique in the org'), name: z.string().min(1).max(120) }).strict().meta({ id: 'CreateTeam' });

/** Rename, or `status: disabled` / `active` (soft delete and restore). */
export const updateTenancyBodySchema = z
  .object({ name: z.string().min(1).max(120).optional(), status: tenancyStatusSchema.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.status !== undefined, 'name at least one of name, status')
  .meta({ id: 'UpdateOrgOrTeam' });

export const putMemberBodySchema = z.object({ role: teamRoleSchema.default('member') }).strict().meta({ id: 'PutTeamMember' });

export const orgViewSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), status: tenancyStatusSchema, createdAt: z.string(), updatedAt: z.string().optional() })
  .meta({ id: 'Org' });
export const orgListSchema = z.object({ items: z.array(orgViewSchema), nextCursor: z.string().optional() }).meta({ id: 'OrgList' });

export const teamViewSchema = z
  .object({ id: z.string(), orgId: z.string(), slug: z.string(), name: z.string(), status: tenancyStatusSchema, createdAt: z.string(), updatedAt: z.string().optional() })
  .meta({ id: 'Team' });
export const teamListSchema = z.object({ items: z.array(teamViewSchema), nextCursor: z.string().optional() }).meta({ id: 'TeamList' });

export const memberViewSchema = z
  .object({ userId: z.string(), displayName: z.string(), email: z.string(), level: z.string(), status: z.enum(['active', 'disabled']), role: teamRoleSchema })
  .meta({ id: 'TeamMember' });
export const memberListSchema = z.object({ items: z.array(memberViewSchema), nextCursor: z.string().optional() }).meta({ id: 'TeamMemberList' });

export const toOrgView = (org: Org): z.infer<typeof orgViewSchema> => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  status: org.status,
  createdAt: org.createdAt,
  ...(org.updatedAt ? { updatedAt: org.updatedAt } : {}),
});

export const toTeamView = (team: Team): z.infer<typeof teamViewSchema> => ({
  id: team.id,
  orgId: team.orgId,
  slug: team.slug,
  name: team.name,
  status: team.status,
  createdAt: team.createdAt,
  ...(team.updatedAt ? { updatedAt: team.updatedAt } : {}),
});

export const toMemberView = (user: User, teamId: string): z.infer<typeof memberViewSchema> => ({
  userId: user.id,
  displayName: user.displayName,
  email: user.email,
  level: user.level,
  status: user.status,
  role: user.teamRoles?.[teamId] ?? 'member',
});
