import type { Principal } from '#domain/authz/principal';
import type { FieldIssue } from '#domain/errors/app-error';
import type { MappedAccess } from './group-mapping';
import type { IdentityProvider } from './identity-provider.schema';

/**
 * Who may manage an identity provider, and how far its mapping may reach (docs/permissions.md#tenancy). A provider that can
 * place users in more than one org or grant `platformAdmin` is deployment-wide: platform admins only. An org
 * admin manages the providers of their own org, whose default org and every mapping target that org; they
 * never see the others (404). Sign-in functions import this module (login-time checks); the save-time
 * override rule lives in `provider-grants.ts`.
 */

/** The org whose admins manage the provider; `undefined` for a deployment-wide provider. */
export const owningOrg = (provider: IdentityProvider): string | undefined =>
  provider.scope === 'deployment' ? undefined : provider.defaultOrgId;

/** Whether the caller may see (and so manage) the provider: platform admins every one, org admins their org's. */
export function providerVisibleTo(principal: Principal, provider: IdentityProvider): boolean {
  return principal.platformAdmin || owningOrg(provider) === principal.orgId;
}

export const mappingField = (index: number, key: string): string => `body.groupMappings.${index}.${key}`;

/**
 * An org-scoped provider is consistent when every mapping targets its own org and none grants the platform
 * flag: checked when saved (400 naming the field) and again by `withinProviderScope` at every login.
 */
export function scopeIssues(provider: IdentityProvider): FieldIssue[] {
  const owner = owningOrg(provider);
  if (owner === undefined) return [];
  return provider.groupMappings.flatMap((mapping, index) => [
    ...(mapping.orgId !== undefined && mapping.orgId !== owner
      ? [{ field: mappingField(index, 'orgId'), message: 'an org-scoped provider maps into its own org only (use scope "deployment")' }]
      : []),
    ...(mapping.platformAdmin
      ? [
          {
            field: mappingField(index, 'platformAdmin'),
            message: 'only a deployment-wide provider (scope "deployment") grants platformAdmin',
          },
        ]
      : []),
  ]);
}

/**
 * Login-time guard, whatever the stored provider says: the access a mapping produced stays within what the
 * provider may grant (its own org and no platform flag, unless it is deployment-wide).
 */
export function withinProviderScope(provider: IdentityProvider, access: MappedAccess): boolean {
  const owner = owningOrg(provider);
  return owner === undefined || (access.orgId === owner && !access.platformAdmin);
}
