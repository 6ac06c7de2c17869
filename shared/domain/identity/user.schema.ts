import * as z from 'zod';
import { levelSchema } from '../authz/permissions';

/** A Quartermaster user (DESIGN §4.1). External identities and overrides arrive with the identity issue. */
export const userSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  id: z.string().min(1),
  email: z.string().email(),
  displayName: z.string().min(1),
  orgId: z.string().min(1),
  level: levelSchema,
  platformAdmin: z.boolean().default(false),
  teamIds: z.array(z.string()).default([]),
  status: z.enum(['active', 'disabled']).default('active'),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  /** Creates the user unless the id is taken; `false` when it was. */
  create(user: User): Promise<boolean>;
  /** Replaces the user record (login-time sync of level, org and teams). */
  put(user: User): Promise<void>;
}
