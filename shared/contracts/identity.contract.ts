import * as z from 'zod';
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
    expiresIn: z.number().int().describe('Seconds until the access token expires'),
    refreshToken: z.string().optional().describe('Single use: POST it to /v1/auth/refresh for a new pair'),
    refreshExpiresIn: z.number().int().optional(),
  })
  .meta({ id: 'Session' });

export const providerParamsSchema = z.object({ provider: providerIdSchema });
export const idParamsSchema = z.object({ id: providerIdSchema });
export const apiKeyIdParamsSchema = z.object({ id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'an API key id') });

export const oidcCallbackQuerySchema = z.object({
  code: z.string().min(1).max(4096).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
  iss: z.string().max(1024).optional(),
});

export const ldapLoginBodySchema = z
  .object({
    provider: providerIdSchema.optional().describe('Needed only when more than one LDAP provider is enabled'),
    username: z.string().min(1).max(256),
    password: z.string().max(1024),
  })
  .meta({ id: 'LdapLogin' });

export const refreshBodySchema = z.object({ refreshToken: z.string().min(1).max(256) }).meta({ id: 'RefreshRequest' });
export const breakGlassBodySchema = z.object({ secret: z.string().min(1).max(1024) }).meta({ id: 'BreakGlassLogin' });

export const jwksSchema = z
  .object({ keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string(), n: z.string(), e: z.string() })) })
  .meta({ id: 'Jwks' });

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
    scopes: z.array(permissionSchema).optional().describe('API keys only: the key narrows the permissions to these'),
    permissions: z.array(permissionSchema).describe('Effective permissions of this request'),
  })
  .meta({ id: 'Me' });

export const createApiKeyBodySchema = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(permissionSchema).min(1).max(50).describe('A subset of your own permissions'),
    expiresInDays: z.number().int().min(1).max(MAX_API_KEY_DAYS).default(90),
  })
  .meta({ id: 'CreateApiKey' });

export const apiKeyViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    hint: z.string().describe('The first characters of the key'),
    scopes: z.array(permissionSchema),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().optional(),
    revokedAt: z.string().optional(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiKey' });
export const createdApiKeySchema = apiKeyViewSchema
  .extend({ key: z.string().describe('Shown once: only its hash is stored') })
  .meta({ id: 'CreatedApiKey' });
export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) }).meta({ id: 'ApiKeyList' });

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
const writeOnlySecret = z.string().min(1).max(4096);

export const identityProviderInputSchema = z
  .discriminatedUnion('type', [
    oidcProviderSchema.omit({ ...managed, clientSecretRef: true }).extend({ clientSecret: writeOnlySecret.optional(), clientSecretRef: secretRefSchema.optional() }),
    cognitoProviderSchema.omit(managed),
    ldapProviderSchema.omit({ ...managed, bindPasswordRef: true }).extend({ bindPassword: writeOnlySecret.optional(), bindPasswordRef: secretRefSchema.optional() }),
  ])
  .meta({ id: 'IdentityProviderInput' });
export type IdentityProviderInput = z.infer<typeof identityProviderInputSchema>;

export const identityProviderViewSchema = z
  .object({
    id: z.string(),
    type: z.enum(['oidc', 'cognito', 'ldap']),
    displayName: z.string(),
    enabled: z.boolean(),
    secretSet: z.boolean().describe('Whether a client secret / bind password is configured (its value is never returned)'),
    settings: z.record(z.string(), z.unknown()).describe('Every other setting, as stored'),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'IdentityProvider' });
export const identityProviderListSchema = z.object({ items: z.array(identityProviderViewSchema) }).meta({ id: 'IdentityProviderList' });

/** Lists fields explicitly: secret references and anything secret-shaped never leave the service. */
export function toIdentityProviderView(provider: IdentityProvider): z.infer<typeof identityProviderViewSchema> {
  const { id, type, displayName, enabled, createdAt, updatedAt, schemaVersion: _v, ...rest } = provider;
  const settings: Record<string, unknown> = { ...rest };
  delete settings.clientSecretRef;
  delete settings.bindPasswordRef;
  const secretSet = provider.type === 'oidc' ? provider.clientSecretRef !== undefined : provider.type === 'ldap';
  return { id, type, displayName, enabled, secretSet, settings, ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}) };
}
