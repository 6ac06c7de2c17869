import * as z from 'zod';
import { permissionOverrideSchema } from '../authz/overrides';
import { levelNameSchema } from '../authz/permissions';

/** A Quartermaster user (DESIGN §4.1). External identities and overrides arrive with the identity issue. */
export const userSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  id: z.string().min(1),
  email: z.string().email(),
  displayName: z.string().min(1),
  orgId: z.string().min(1),
  /** A built-in level or one of the org's custom levels. */
  level: levelNameSchema,
  platformAdmin: z.boolean().default(false),
  teamIds: z.array(z.string()).default([]),
  status: z.enum(['active', 'disabled']).default('active'),
  createdAt: z.string(),
  // Optional (absent = empty / 0) so records written before the authorization work stay valid as they are.
  /** Role in each of `teamIds` (absent = member). */
  teamRoles: z.record(z.string(), z.enum(['member', 'lead'])).optional(),
  /** Per-user grants and denies on top of the level (deny wins); see `authz/overrides.ts`. */
  overrides: z.array(permissionOverrideSchema).optional(),
  /** Bumped by every administrative change (level, overrides, status, teams); those writes are conditional on it. */
  authzVersion: z.number().int().min(0).optional(),
  updatedAt: z.string().optional(),
});
export type User = z.infer<typeof userSchema>;

export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  /** Creates the user unless the id is taken; `false` when it was. */
  create(user: User): Promise<boolean>;
  /** Replaces the user record (login-time sync of level, org and teams). */
  put(user: User): Promise<void>;
}
