import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { levelSchema, permissionSchema } from '#domain/authz/permissions';
import { MAX_API_KEY_DAYS } from '#domain/identity/api-key.service';
import type { ApiKeyRecord } from '#domain/identity/api-key.schema';

/** The caller's own identity (`/v1/me`) and API keys. */
export const apiKeyIdParamsSchema = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an API key id')) });

export const meViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      email: z.string(),
      displayName: z.string(),
      orgId: z.string(),
      level: levelSchema,
      platformAdmin: z.boolean(),
      teamIds: z.array(z.string()),
      authMethod: z.string(),
      scopes: z.optional(z.array(permissionSchema)).check(z.describe('API keys only: the key narrows the permissions to these')),
      permissions: z.array(permissionSchema).check(z.describe('Effective permissions of this request')),
    })
    .register(z.globalRegistry, { id: 'Me' }),
);

export const createApiKeyBodySchema = z
  .object({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    scopes: z.array(permissionSchema).check(z.minLength(1), z.maxLength(50), z.describe('A subset of your own permissions')),
    expiresInDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(MAX_API_KEY_DAYS)), 90),
  })
  .register(z.globalRegistry, { id: 'CreateApiKey' });

export const apiKeyViewSchema = lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      hint: z.string().check(z.describe('The first characters of the key')),
      scopes: z.array(permissionSchema),
      createdAt: z.string(),
      expiresAt: z.string(),
      lastUsedAt: z.optional(z.string()),
      revokedAt: z.optional(z.string()),
      status: z.enum(['active', 'expired', 'revoked']),
    })
    .register(z.globalRegistry, { id: 'ApiKey' }),
);
export const createdApiKeySchema = lazySchema(() =>
  z
    .extend(apiKeyViewSchema(), { key: z.string().check(z.describe('Shown once: only its hash is stored')) })
    .register(z.globalRegistry, { id: 'CreatedApiKey' }),
);
export const apiKeyListSchema = lazySchema(() =>
  z.object({ items: z.array(apiKeyViewSchema()) }).register(z.globalRegistry, { id: 'ApiKeyList' }),
);

export function toApiKeyView(record: ApiKeyRecord, now: Date): z.infer<ReturnType<typeof apiKeyViewSchema>> {
  return {
    id: record.id,
    name: record.name,
    hint: record.hint,
    scopes: record.scopes,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    ...(record.lastUsedAt ? { lastUsedAt: record.lastUsedAt } : {}),
    ...(record.revokedAt ? { revokedAt: record.revokedAt } : {}),
    status: record.revokedAt ? 'revoked' : Date.parse(record.expiresAt) <= now.getTime() ? 'expired' : 'active',
  };
}
