import * as z from 'zod/mini';
import { permissionSchema } from '#domain/authz/permissions';

export const apiKeyRecordSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  id: z.string().check(z.minLength(1)),
  ownerId: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The first characters of the key, to recognise it in a list; not enough to use it. */
  hint: z.string(),
  keyHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  scopes: z.array(permissionSchema),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.optional(z.string()),
  revokedAt: z.optional(z.string()),
});

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
