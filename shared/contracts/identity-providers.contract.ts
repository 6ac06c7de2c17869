import * as z from 'zod/mini';
import {
  cognitoProviderSchema,
  ldapProviderSchema,
  oidcProviderSchema,
  providerIdSchema,
  secretRefSchema,
  type IdentityProvider,
} from '#domain/identity/identity-provider.schema';

export const idParamsSchema = z.object({ id: providerIdSchema });

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
