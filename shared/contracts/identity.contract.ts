import * as z from 'zod/mini';
import { levelSchema, permissionSchema } from '../domain/authz/permissions';
import type { ApiKeyRecord } from '../domain/identity/api-key.service';
import {
  cognitoProviderSchema,
  ldapProviderSchema,
  oidcProviderSchema,
  providerIdSchema,
  secretRefSchema,
  type IdentityProvider,
} from '../domain/identity/identity-provider.schema';
import { MAX_API_KEY_DAYS } from '../domain/identity/api-key.service';

/** Sign-in results: a Quartermaster session (short-lived access token + single-use refresh token). */
export const sessionViewSchema = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.number().check(z.int(), z.describe('Seconds until the access token expires')),
    refreshToken: z.optional(z.string()).check(z.describe('Single use: POST it to /v1/auth/refresh for a new pair')),
    refreshExpiresIn: z.optional(z.number().check(z.int())),
  })
  .register(z.globalRegistry, { id: 'Session' });

export const providerParamsSchema = z.object({ provider: providerIdSchema });
export const idParamsSchema = z.object({ id: providerIdSchema });
export const apiKeyIdParamsSchema = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an API key id')) });

export const oidcCallbackQuerySchema = z.object({
  code: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  state: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  error: z.optional(z.string().check(z.maxLength(256))),
  error_description: z.optional(z.string().check(z.maxLength(1024))),
  iss: z.optional(z.string().check(z.maxLength(1024))),
});

export const ldapLoginBodySchema = z
  .object({
    provider: z.optional(providerIdSchema).check(z.describe('Needed only when more than one LDAP provider is enabled')),
    username: z.string().check(z.minLength(1), z.maxLength(256)),
    password: z.string().check(z.maxLength(1024)),
  })
  .register(z.globalRegistry, { id: 'LdapLogin' });

export const refreshBodySchema = z
  .object({ refreshToken: z.string().check(z.minLength(1), z.maxLength(256)) })
  .register(z.globalRegistry, { id: 'RefreshRequest' });
export const breakGlassBodySchema = z
  .object({ secret: z.string().check(z.minLength(1), z.maxLength(1024)) })
  .register(z.globalRegistry, { id: 'BreakGlassLogin' });

export const jwksSchema = z
  .object({ keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), n: z.string(), e: z.string() })) })
  .register(z.globalRegistry, { id: 'Jwks' });

export const meViewSchema = z
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
  .register(z.globalRegistry, { id: 'Me' });

export const createApiKeyBodySchema = z
  .object({
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    scopes: z.array(permissionSchema).check(z.minLength(1), z.maxLength(50), z.describe('A subset of your own permissions')),
    expiresInDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(MAX_API_KEY_DAYS)), 90),
  })
  .register(z.globalRegistry, { id: 'CreateApiKey' });

export const apiKeyViewSchema = z
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
  .register(z.globalRegistry, { id: 'ApiKey' });
export const createdApiKeySchema = z
  .extend(apiKeyViewSchema, { key: z.string().check(z.describe('Shown once: only its hash is stored')) })
  .register(z.globalRegistry, { id: 'CreatedApiKey' });
export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) }).register(z.globalRegistry, { id: 'ApiKeyList' });

export function toApiKeyView(record: ApiKeyRecord, now: Date): z.infer<typeof apiKeyViewSchema> {
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

/*
 * Identity provider admin API. Secrets are write-only: a request may carry the value (stored in Secrets
 * Manager, never in the table) or a reference to an existing secret; responses say only whether one is set.
 */
const managed = { schemaVersion: true, createdAt: true, updatedAt: true } as const;
const writeOnlySecret = z.string().check(z.minLength(1), z.maxLength(4096));

export const identityProviderInputSchema = z
  .discriminatedUnion('type', [
    z.extend(z.omit(oidcProviderSchema, { ...managed, clientSecretRef: true }), {
      clientSecret: z.optional(writeOnlySecret),
      clientSecretRef: z.optional(secretRefSchema),
    }),
    z.omit(cognitoProviderSchema, managed),
    z.extend(z.omit(ldapProviderSchema, { ...managed, bindPasswordRef: true }), {
      bindPassword: z.optional(writeOnlySecret),
      bindPasswordRef: z.optional(secretRefSchema),
    }),
  ])
  .register(z.globalRegistry, { id: 'IdentityProviderInput' });
export type IdentityProviderInput = z.infer<typeof identityProviderInputSchema>;

export const identityProviderViewSchema = z
  .object({
    id: z.string(),
    type: z.enum(['oidc', 'cognito', 'ldap']),
    displayName: z.string(),
    enabled: z.boolean(),
    secretSet: z.boolean().check(z.describe('Whether a client secret / bind password is configured (its value is never returned)')),
    settings: z.record(z.string(), z.unknown()).check(z.describe('Every other setting, as stored')),
    createdAt: z.optional(z.string()),
    updatedAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'IdentityProvider' });
export const identityProviderListSchema = z
  .object({ items: z.array(identityProviderViewSchema) })
  .register(z.globalRegistry, { id: 'IdentityProviderList' });

/** Lists fields explicitly: secret references and anything secret-shaped never leave the service. */
export function toIdentityProviderView(provider: IdentityProvider): z.infer<typeof identityProviderViewSchema> {
  const { id, type, displayName, enabled, createdAt, updatedAt, schemaVersion: _v, ...rest } = provider;
  const settings: Record<string, unknown> = { ...rest };
  delete settings.clientSecretRef;
  delete settings.bindPasswordRef;
  const secretSet = provider.type === 'oidc' ? provider.clientSecretRef !== undefined : provider.type === 'ldap';
  return { id, type, displayName, enabled, secretSet, settings, ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}) };
}
