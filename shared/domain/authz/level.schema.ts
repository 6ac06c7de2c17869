import * as z from 'zod/mini';
import { isBuiltinLevel, LEVELS, levelNameSchema, permissionSchema } from './permissions';

/**
 * A custom level (docs/permissions.md: "custom levels may be added by admins"): a named permission set with a
 * priority, defined per org. Built-in level names cannot be redefined: the matrix is exact.
 */
export const customLevelSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  orgId: z.string().check(z.minLength(1)),
  name: levelNameSchema.check(z.refine((name) => !isBuiltinLevel(name), 'a built-in level cannot be redefined')),
  description: z._default(z.string().check(z.maxLength(500)), ''),
  /** Scheduling priority and rank: ≥ the admin level's priority means org-wide scope (see `scope.ts`). */
  priority: z.number().check(z.int(), z.gte(1), z.lte(LEVELS.admin)),
  permissions: z.array(permissionSchema).check(z.maxLength(100)),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped by every change; writes are conditional on it. */
  version: z.number().check(z.int(), z.gte(1)),
});
export type CustomLevel = z.infer<typeof customLevelSchema>;
